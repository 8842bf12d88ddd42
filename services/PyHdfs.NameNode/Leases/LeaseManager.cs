namespace PyHdfs.NameNode.Leases;

/// <summary>
/// Writer leases: one per client name, covering every file it has under construction, renewed by
/// any call of that client. Not thread-safe: used under the namespace lock.
/// </summary>
internal sealed class LeaseManager
{
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public int Count => _leases.Count;

    public void Clear() => _leases.Clear();

    /// <summary>A new active NameNode gives every writer a full lease period to come back to it.</summary>
    public void RenewAll(long nowMs)
    {
        foreach (var lease in _leases.Values)
        {
            lease.LastRenewedMs = nowMs;
        }
    }

    public void Add(string holder, long fileId, long nowMs)
    {
        if (!_leases.TryGetValue(holder, out var lease))
        {
            _leases[holder] = lease = new Lease(nowMs);
        }
        lease.LastRenewedMs = nowMs;
        lease.FileIds.Add(fileId);
    }

    public void Remove(string holder, long fileId)
    {
        if (_leases.TryGetValue(holder, out var lease) && lease.FileIds.Remove(fileId) && lease.FileIds.Count == 0)
        {
            _leases.Remove(holder);
        }
    }

    /// <summary>False when the client holds no lease.</summary>
    public bool Renew(string holder, long nowMs)
    {
        if (!_leases.TryGetValue(holder, out var lease))
        {
            return false;
        }
        lease.LastRenewedMs = nowMs;
        return true;
    }

    public long? LastRenewedMs(string holder) => _leases.TryGetValue(holder, out var lease) ? lease.LastRenewedMs : null;

    /// <summary>Files whose holder has not renewed for longer than the limit.</summary>
    public List<(string Holder, long FileId)> Expired(long nowMs, long limitMs)
    {
        var result = new List<(string, long)>();
        foreach (var (holder, lease) in _leases)
        {
            if (nowMs - lease.LastRenewedMs > limitMs)
            {
                result.AddRange(lease.FileIds.Select(id => (holder, id)));
            }
        }
        return result;
    }

    private sealed class Lease(long lastRenewedMs)
    {
        public long LastRenewedMs = lastRenewedMs;
        public readonly HashSet<long> FileIds = [];
    }
}
