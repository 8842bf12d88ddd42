using PyHdfs.AppHost.Telemetry;

namespace PyHdfs.AppHost.Tests;

public sealed class TraceStoreTests
{
    private static SpanRecord Span(string trace, string id, string? parent, string service = "svc", string name = "op",
        long start = 1_000, long end = 2_000, string status = "unset") =>
        new(trace, id, parent, name, service, "internal", start, end, status, null, new Dictionary<string, string>(), []);

    private static readonly string TraceA = new('a', 32);
    private static readonly string TraceB = new('b', 32);
    private static readonly string TraceC = new('c', 32);

    [Fact]
    public void Spans_are_grouped_by_trace_and_returned_by_start_time()
    {
        var store = new TraceStore();
        store.Add([Span(TraceA, "2", "1", start: 3_000, end: 4_000), Span(TraceB, "9", null)]);
        store.Add([Span(TraceA, "1", null, start: 1_000, end: 5_000)]);

        Assert.Equal(["1", "2"], store.Get(TraceA)!.Select(s => s.SpanId));
        Assert.Single(store.Get(TraceB)!);
        Assert.Null(store.Get(TraceC));
        Assert.Equal(2, store.TraceCount);
    }

    [Fact]
    public void Beyond_its_capacity_the_store_drops_the_trace_seen_first()
    {
        var store = new TraceStore(maxTraces: 2);
        store.Add([Span(TraceA, "1", null)]);
        store.Add([Span(TraceB, "1", null)]);
        store.Add([Span(TraceA, "2", "1")]); // a late span does not make a trace newer
        store.Add([Span(TraceC, "1", null)]);

        Assert.Null(store.Get(TraceA));
        Assert.NotNull(store.Get(TraceB));
        Assert.NotNull(store.Get(TraceC));
    }

    [Fact]
    public void A_span_sent_twice_is_kept_once_and_a_trace_keeps_at_most_its_span_limit()
    {
        var store = new TraceStore(maxTraces: 10, maxSpansPerTrace: 3);
        store.Add([Span(TraceA, "1", null), Span(TraceA, "1", null)]);
        store.Add([Span(TraceA, "2", "1"), Span(TraceA, "3", "1"), Span(TraceA, "4", "1")]);

        Assert.Equal(["1", "2", "3"], store.Get(TraceA)!.Select(s => s.SpanId).Order());
    }

    [Fact]
    public void The_summary_names_the_root_operation_its_duration_services_and_status()
    {
        var spans = new[]
        {
            Span(TraceA, "1", null, "client", "put /a", start: 1_000_000, end: 9_000_000),
            Span(TraceA, "2", "1", "namenode", "namenode Create /a", start: 2_000_000, end: 3_000_000),
            Span(TraceA, "3", "2", "metadata", "journal append", start: 2_500_000, end: 2_600_000, status: "error"),
        };

        var summary = TraceStore.Summarize(spans);

        Assert.Equal("put /a", summary.Operation);
        Assert.Equal("client", summary.RootService);
        Assert.Equal(8.0, summary.DurationMs, precision: 6);
        Assert.Equal(["client", "namenode", "metadata"], summary.Services);
        Assert.Equal("error", summary.Status);
        Assert.Equal(3, summary.SpanCount);
    }

    [Fact]
    public void While_the_root_has_not_arrived_the_earliest_orphan_stands_for_it()
    {
        var spans = new[] { Span(TraceA, "3", "2", start: 5), Span(TraceA, "2", "1", start: 3), };

        Assert.Equal("2", TraceStore.Root(spans).SpanId);
    }

    [Fact]
    public void Recent_lists_the_latest_started_traces_first()
    {
        var store = new TraceStore();
        store.Add([Span(TraceA, "1", null, start: 100, end: 200), Span(TraceB, "1", null, start: 300, end: 400), Span(TraceC, "1", null, start: 200, end: 300)]);

        Assert.Equal([TraceB, TraceC], store.Recent(2).Select(t => t.TraceId));
    }
}
