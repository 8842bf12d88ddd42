using System.Collections.Concurrent;
using System.Diagnostics;
using static PyHdfs.Metadata.Tests.Ops;

namespace PyHdfs.Metadata.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Each_append_is_one_journal_append_span_with_its_txid_range()
    {
        using var fixture = new StoreFixture();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "PyHdfs.Metadata",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await fixture.Store.AppendAsync(4242, Entries(1, Mkdir(2, Root, "a"), Mkdir(3, Root, "b"), Mkdir(4, Root, "c")));

        // Other tests run in parallel: keep only spans of this store's thread of work (no other test uses epoch 4242).
        var span = Assert.Single(spans, s => s.OperationName == "journal append" && Equals(s.GetTagItem("pyhdfs.epoch"), 4242L));
        Assert.Equal(1L, span.GetTagItem("pyhdfs.txid.first"));
        Assert.Equal(3L, span.GetTagItem("pyhdfs.txid.last"));
        Assert.Equal(3, span.GetTagItem("pyhdfs.op_count"));
    }
}
