namespace PyHdfs.NameNode.Replication;

/// <summary>
/// The replication work the monitor has yet to do: blocks below their factor in priority levels
/// (level 0 = one good live replica left, the most endangered), blocks to look at again (a
/// trigger fired), and the copies in flight. Guarded by the namespace lock.
/// </summary>
internal sealed class ReplicationQueues
{
    /// <summary>Level i holds blocks with i + 1 good live replicas; the last level everything above.</summary>
    public const int Levels = 3;

    private readonly HashSet<long>[] _needed = [.. Enumerable.Range(0, Levels).Select(_ => new HashSet<long>())];
    private readonly Dictionary<long, int> _levelOf = [];
    private HashSet<long> _dirty = [];

    /// <summary>Copies in flight per block.</summary>
    public Dictionary<long, List<PendingReplication>> Pending { get; } = [];

    /// <summary>True until the monitor has scanned the whole block map once (start, a DataNode died or came back...).</summary>
    public bool FullScanRequested { get; private set; } = true;

    public int NeededCount => _levelOf.Count;

    public static int LevelFor(int goodLiveReplicas) => Math.Clamp(goodLiveReplicas - 1, 0, Levels - 1);

    public void RequestFullScan() => FullScanRequested = true;

    public void FullScanDone() => FullScanRequested = false;

    /// <summary>Past this many blocks to look at, one full scan is cheaper (and bounds the memory between rounds).</summary>
    public const int MaxDirtyBlocks = 4096;

    public void MarkDirty(long blockId)
    {
        if (FullScanRequested)
        {
            return;
        }
        if (_dirty.Count >= MaxDirtyBlocks)
        {
            _dirty.Clear();
            FullScanRequested = true;
            return;
        }
        _dirty.Add(blockId);
    }

    public HashSet<long> TakeDirty()
    {
        var taken = _dirty;
        _dirty = [];
        return taken;
    }

    public void Enqueue(long blockId, int level)
    {
        if (_levelOf.TryGetValue(blockId, out var current))
        {
            if (current == level)
            {
                return;
            }
            _needed[current].Remove(blockId);
        }
        _needed[level].Add(blockId);
        _levelOf[blockId] = level;
    }

    public void Dequeue(long blockId)
    {
        if (_levelOf.Remove(blockId, out var level))
        {
            _needed[level].Remove(blockId);
        }
    }

    /// <summary>The queued blocks, most endangered first (a copy: the caller may dequeue while iterating).</summary>
    public List<long> InPriorityOrder()
    {
        var order = new List<long>(_levelOf.Count);
        foreach (var level in _needed)
        {
            order.AddRange(level.Order());
        }
        return order;
    }

    /// <summary>The block left the namespace: nothing to do for it any more.</summary>
    public void Forget(long blockId)
    {
        Dequeue(blockId);
        Pending.Remove(blockId);
        _dirty.Remove(blockId);
    }

    /// <summary>A node reported a finalized replica: if a copy was on its way there, it arrived.</summary>
    public void OnReplicaStored(long blockId, string nodeId)
    {
        if (Pending.TryGetValue(blockId, out var copies))
        {
            foreach (var copy in copies)
            {
                copy.Targets.Remove(nodeId);
            }
            copies.RemoveAll(c => c.Targets.Count == 0);
            if (copies.Count == 0)
            {
                Pending.Remove(blockId);
            }
        }
        MarkDirty(blockId);
    }

    /// <summary>Targets still expected to receive a copy of the block.</summary>
    public IEnumerable<string> PendingTargets(long blockId) =>
        Pending.TryGetValue(blockId, out var copies) ? copies.SelectMany(c => c.Targets) : [];

    public int PendingTargetCount(long blockId) =>
        Pending.TryGetValue(blockId, out var copies) ? copies.Sum(c => c.Targets.Count) : 0;

    /// <summary>Copies in flight per source node (the streams it is sending).</summary>
    public Dictionary<string, int> StreamsPerSource()
    {
        var streams = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var copy in Pending.Values.SelectMany(c => c))
        {
            streams[copy.Source] = streams.GetValueOrDefault(copy.Source) + 1;
        }
        return streams;
    }

    /// <summary>Drops copies not reported by their deadline; returns the blocks concerned.</summary>
    public List<long> ExpirePending(long nowMs)
    {
        var expired = new List<long>();
        foreach (var (blockId, copies) in Pending)
        {
            if (copies.RemoveAll(c => c.ExpiresMs <= nowMs) > 0)
            {
                expired.Add(blockId);
            }
        }
        foreach (var blockId in expired)
        {
            if (Pending[blockId].Count == 0)
            {
                Pending.Remove(blockId);
            }
            MarkDirty(blockId);
        }
        return expired;
    }
}
