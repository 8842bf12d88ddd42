using System.Globalization;

namespace PyHdfs.Cli.Commands;

internal sealed record TraceDocument(TraceSpan[] Spans);

internal sealed record TraceSpan(
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Service,
    string Kind,
    long StartUnixNano,
    long EndUnixNano,
    string Status,
    string? StatusMessage,
    Dictionary<string, string> Attributes);

/// <summary>A trace as an indented tree: one line per span with service, name, duration and key attributes.</summary>
internal static class TraceTree
{
    private const string Prefix = "pyhdfs.";

    public static IEnumerable<string> Render(TraceDocument trace, bool includeTransport)
    {
        var spans = trace.Spans.Where(s => includeTransport || !IsTransport(s)).ToList();
        var kept = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var parentOf = trace.Spans.ToDictionary(s => s.SpanId, s => s.ParentSpanId, StringComparer.Ordinal);
        // A span whose parent was left out (a transport span) hangs under the nearest kept ancestor.
        string? VisibleParent(TraceSpan span)
        {
            var parent = span.ParentSpanId;
            while (parent is not null && !kept.Contains(parent))
            {
                parent = parentOf.GetValueOrDefault(parent);
            }
            return parent;
        }
        var children = spans.GroupBy(VisibleParent).ToDictionary(g => g.Key ?? "", g => g.OrderBy(s => s.StartUnixNano).ToList(), StringComparer.Ordinal);
        var start = spans.Count == 0 ? 0 : spans.Min(s => s.StartUnixNano);
        var end = spans.Count == 0 ? 0 : spans.Max(s => s.EndUnixNano);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{spans.Count} spans, {Ms(end - start)}, services: {string.Join(", ", spans.OrderBy(s => s.StartUnixNano).Select(s => s.Service).Distinct())}");
        var width = spans.Count == 0 ? 0 : spans.Max(s => s.Service.Length);
        foreach (var line in Lines(children.GetValueOrDefault("") ?? [], children, depth: 0, start, width))
        {
            yield return line;
        }
    }

    /// <summary>The gRPC and HTTP client spans of a call: they time the same call as its (named) server span.</summary>
    public static bool IsTransport(TraceSpan span) =>
        span.Kind == "client" && (span.Attributes.ContainsKey("grpc.method") || span.Attributes.ContainsKey("http.request.method"));

    private static IEnumerable<string> Lines(List<TraceSpan> level, Dictionary<string, List<TraceSpan>> children, int depth, long traceStart, int width)
    {
        foreach (var span in level)
        {
            var status = span.Status == "error" ? $"  ERROR {span.StatusMessage}" : "";
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{new string(' ', depth * 2)}{span.Service.PadRight(width)}  {span.Name}  {Ms(span.EndUnixNano - span.StartUnixNano)} (+{Ms(span.StartUnixNano - traceStart)}){KeyAttributes(span)}{status}");
            foreach (var line in Lines(children.GetValueOrDefault(span.SpanId) ?? [], children, depth + 1, traceStart, width))
            {
                yield return line;
            }
        }
    }

    private static string KeyAttributes(TraceSpan span)
    {
        var keys = span.Attributes.Where(a => a.Key.StartsWith(Prefix, StringComparison.Ordinal) && a.Key != "pyhdfs.operation")
            .Select(a => $"{a.Key[Prefix.Length..]}={a.Value}").ToList();
        return keys.Count == 0 ? "" : "  " + string.Join(" ", keys);
    }

    private static string Ms(long nanos) => string.Create(CultureInfo.InvariantCulture, $"{nanos / 1e6:0.0} ms");
}
