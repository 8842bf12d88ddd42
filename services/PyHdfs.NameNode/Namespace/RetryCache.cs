namespace PyHdfs.NameNode.Namespace;

/// <summary>
/// Answers of recent non-idempotent mutations by client_request_id, so that a client retrying
/// after a lost answer (a timeout, a failover) gets the first answer instead of "already exists"
/// or "no such file". The active fills it as it mutates; a standby fills it from the request ids
/// journaled with each op, so it answers retries after a failover. Bounded in count and age; in
/// memory only (a restart forgets it). Not thread-safe: used under the namespace lock.
/// </summary>
internal sealed class RetryCache(TimeProvider time, TimeSpan ttl, int capacity)
{
    private readonly Dictionary<string, (object Result, long ExpiresMs)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, long ExpiresMs)> _order = new();

    public int Count => _entries.Count;

    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
    }

    public bool TryGet<T>(string operation, string? requestId, out T result) where T : class
    {
        result = null!;
        if (string.IsNullOrEmpty(requestId) || !_entries.TryGetValue(Key(operation, requestId), out var entry) || entry.ExpiresMs <= NowMs)
        {
            return false;
        }
        result = (T)entry.Result;
        return true;
    }

    public void Add(string operation, string? requestId, object result)
    {
        if (string.IsNullOrEmpty(requestId))
        {
            return;
        }
        var now = NowMs;
        while (_order.Count > 0 && (_order.Count >= capacity || _order.Peek().ExpiresMs <= now))
        {
            var (key, expires) = _order.Dequeue();
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresMs == expires)
            {
                _entries.Remove(key);
            }
        }
        var expiresMs = now + (long)ttl.TotalMilliseconds;
        _entries[Key(operation, requestId)] = (result, expiresMs);
        _order.Enqueue((Key(operation, requestId), expiresMs));
    }

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Key(string operation, string requestId) => operation + ":" + requestId;
}
