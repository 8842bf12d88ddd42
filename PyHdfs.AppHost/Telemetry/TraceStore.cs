namespace PyHdfs.AppHost.Telemetry;

/// <summary>
/// The most recent traces, spans grouped by trace id, in memory. Bounded: beyond
/// <see cref="MaxTraces"/> the trace first seen longest ago is dropped, and a trace keeps at most
/// <see cref="MaxSpansPerTrace"/> spans (a long streaming put has one span per block and DataNode).
/// </summary>
public sealed class TraceStore(int maxTraces = 500, int maxSpansPerTrace = 5000)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<SpanRecord>> _traces = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _arrival = new();
    private readonly Dictionary<string, LinkedListNode<string>> _arrivalNodes = new(StringComparer.Ordinal);

    public int MaxTraces { get; } = maxTraces;

    public int MaxSpansPerTrace { get; } = maxSpansPerTrace;

    public int TraceCount
    {
        get { lock (_lock) { return _traces.Count; } }
    }

    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var list))
                {
                    list = [];
                    _traces[span.TraceId] = list;
                    _arrivalNodes[span.TraceId] = _arrival.AddLast(span.TraceId);
                    while (_traces.Count > MaxTraces)
                    {
                        var oldest = _arrival.First!.Value;
                        _arrival.RemoveFirst();
                        _arrivalNodes.Remove(oldest);
                        _traces.Remove(oldest);
                    }
                }
                // Exporters retry: a span id already there is the same span again.
                if (list.Count < MaxSpansPerTrace && !list.Exists(s => s.SpanId == span.SpanId))
                {
                    list.Add(span);
                }
            }
        }
    }

    /// <summary>The spans of one trace by start time, or null when the store does not have it (any more).</summary>
    public IReadOnlyList<SpanRecord>? Get(string traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId.Trim().ToLowerInvariant(), out var spans)
                ? [.. spans.OrderBy(s => s.StartUnixNano)]
                : null;
        }
    }

    /// <summary>The most recently started traces first.</summary>
    public IReadOnlyList<TraceSummary> Recent(int count)
    {
        List<List<SpanRecord>> traces;
        lock (_lock)
        {
            traces = [.. _traces.Values.Select(s => s.ToList())];
        }
        return [.. traces.Select(Summarize).OrderByDescending(t => t.Start).Take(count)];
    }

    public static TraceSummary Summarize(IReadOnlyList<SpanRecord> spans)
    {
        var root = Root(spans);
        var start = spans.Min(s => s.StartUnixNano);
        var end = spans.Max(s => s.EndUnixNano);
        return new TraceSummary(
            root.TraceId,
            root.Name,
            root.Service,
            DateTimeOffset.UnixEpoch.AddTicks(start / 100),
            (end - start) / 1e6,
            spans.Any(s => s.Status == "error") ? "error" : "ok",
            [.. spans.OrderBy(s => s.StartUnixNano).Select(s => s.Service).Distinct()],
            spans.Count);
    }

    /// <summary>The span without a parent; while that has not arrived, the earliest span whose parent is missing.</summary>
    public static SpanRecord Root(IReadOnlyList<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        return spans.Where(s => s.ParentSpanId is null).MinBy(s => s.StartUnixNano)
            ?? spans.Where(s => !ids.Contains(s.ParentSpanId!)).MinBy(s => s.StartUnixNano)
            ?? spans.MinBy(s => s.StartUnixNano)!;
    }
}
