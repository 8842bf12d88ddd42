namespace PyHdfs.AppHost.Telemetry;

/// <summary>The last log records the services exported over OTLP, bounded.</summary>
public sealed class TelemetryLogStore(int capacity = 5000)
{
    private readonly Queue<TelemetryLog> _logs = new();
    private readonly Lock _lock = new();

    public void Add(IEnumerable<TelemetryLog> logs)
    {
        lock (_lock)
        {
            foreach (var log in logs)
            {
                if (_logs.Count == capacity)
                {
                    _logs.Dequeue();
                }
                _logs.Enqueue(log);
            }
        }
    }

    public IReadOnlyList<TelemetryLog> Recent(int count, string? traceId = null)
    {
        lock (_lock)
        {
            var matching = traceId is null ? _logs : _logs.Where(l => l.TraceId == traceId);
            return [.. matching.Reverse().Take(count)];
        }
    }
}
