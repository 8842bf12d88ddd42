namespace PyHdfs.AppHost.Hosting;

/// <summary>The last lines a resource wrote (stdout and stderr), bounded, for error messages and a dashboard.</summary>
public sealed class LogRing(int capacity = 2000)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();

    public void Add(LogLine line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<LogLine> Snapshot()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lock)
        {
            return [.. _lines.Skip(Math.Max(0, _lines.Count - count)).Select(l => l.Text)];
        }
    }
}

public readonly record struct LogLine(DateTimeOffset Time, bool IsError, string Text);
