using PyHdfs.AppHost.Hosting;
using PyHdfs.AppHost.Telemetry;
using PyHdfs.Testing;

namespace PyHdfs.IntegrationTests.Dashboard;

/// <summary>The spans of one trace as the AppHost's OTLP receiver got them, with tree navigation for assertions.</summary>
public sealed class ReceivedTrace(IReadOnlyList<SpanRecord> spans)
{
    public IReadOnlyList<SpanRecord> Spans { get; } = spans;

    /// <summary>
    /// Waits until the trace is there and <paramref name="complete"/> holds (services export in batches,
    /// about every second), then returns it.
    /// </summary>
    public static async Task<ReceivedTrace> WaitForAsync(DistributedApplication app, string traceId, Func<ReceivedTrace, bool> complete, string what)
    {
        ReceivedTrace? last = null;
        try
        {
            return await Eventually.WaitForAsync(() =>
            {
                var spans = app.Dashboard.Traces.Get(traceId);
                last = spans is null ? null : new ReceivedTrace(spans);
                return Task.FromResult(last is not null && complete(last) ? last : null);
            }, TimeSpan.FromSeconds(30), what, TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the AppHost has {last?.Describe() ?? "no span of the trace"}", e);
        }
    }

    public SpanRecord Root => Assert.Single(Spans, s => s.ParentSpanId is null);

    public SpanRecord Single(string service, string name) =>
        Assert.Single(Spans, s => s.Service == service && s.Name == name);

    public IEnumerable<SpanRecord> Named(string service, string namePrefix) =>
        Spans.Where(s => s.Service == service && s.Name.StartsWith(namePrefix, StringComparison.Ordinal));

    public IEnumerable<SpanRecord> Children(SpanRecord span) => Spans.Where(s => s.ParentSpanId == span.SpanId);

    public IEnumerable<SpanRecord> Descendants(SpanRecord span) =>
        Children(span).SelectMany(child => Descendants(child).Prepend(child));

    public bool IsUnder(SpanRecord span, SpanRecord ancestor)
    {
        var byId = Spans.ToDictionary(s => s.SpanId);
        for (var parent = span.ParentSpanId; parent is not null; parent = byId.TryGetValue(parent, out var p) ? p.ParentSpanId : null)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }

    public string Describe() =>
        $"{Spans.Count} spans: " + string.Join("; ", Spans.Select(s => $"{s.Service} '{s.Name}' {s.SpanId}<-{s.ParentSpanId ?? "root"}"));
}
