namespace PyHdfs.AppHost.Hosting;

/// <summary>The last lines a resource wrote (stdout and stderr), bounded, for error messages and the dashboard.</summary>
public sealed class LogRing(int capacity = 2000)
{
    private readonly Queue<LogLine> _lines = new();
    private readonly Lock _lock = new();
    private long _written;

    public void Add(LogLine line)
    {
        lock (_lock)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
            _written++;
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

    /// <summary>
    /// The lines after position <paramref name="position"/> (lines ever written, so a poller asks for
    /// what is new), and the position to ask from next time. Lines that fell out of the ring are skipped.
    /// </summary>
    public (IReadOnlyList<LogLine> Lines, long Next) Since(long position)
    {
        lock (_lock)
        {
            var first = _written - _lines.Count;
            var skip = (int)Math.Clamp(position - first, 0, _lines.Count);
            return ([.. _lines.Skip(skip)], _written);
        }
    }
}

public readonly record struct LogLine(DateTimeOffset Time, bool IsError, string Text);
