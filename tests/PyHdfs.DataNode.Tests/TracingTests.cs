using System.Collections.Concurrent;
using System.Diagnostics;
using PyHdfs.DataNode.Tests.Support;

namespace PyHdfs.DataNode.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task Each_hop_records_a_span_in_the_writers_trace_parented_by_the_previous_hop()
    {
        const long blockId = 909_090;
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "PyHdfs.DataNode",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("pyhdfs.block_id") is long id && id == blockId)
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var nodes = await InProcessDataNode.StartManyAsync(3);
        try
        {
            var traceId = ActivityTraceId.CreateRandom();
            var clientSpan = ActivitySpanId.CreateRandom();
            var header = TestTransferClient.Header(blockId, 1001, 512, nodes[1].Address, nodes[2].Address);
            header.Traceparent = $"00-{traceId.ToHexString()}-{clientSpan.ToHexString()}-01";

            var outcome = await TestTransferClient.WriteAsync(nodes[0].Address, header, TestTransferClient.RandomBytes(50_000, 40));
            Assert.True(outcome.FullySucceeded);
            await PyHdfs.Testing.Eventually.WaitUntilAsync(() => spans.Count >= 3, TimeSpan.FromSeconds(10), "three write spans");

            var byNode = spans.ToDictionary(s => (string)s.GetTagItem("pyhdfs.datanode")!);
            Assert.All(byNode.Values, s => Assert.Equal(traceId, s.TraceId));
            Assert.All(byNode.Values, s => Assert.Equal($"datanode write blk_{blockId}", s.DisplayName));
            Assert.Equal(clientSpan, byNode["dn-1"].ParentSpanId);
            Assert.Equal(byNode["dn-1"].SpanId, byNode["dn-2"].ParentSpanId);
            Assert.Equal(byNode["dn-2"].SpanId, byNode["dn-3"].ParentSpanId);
            Assert.Equal("dn-2,dn-3", byNode["dn-1"].GetTagItem("pyhdfs.downstream"));
            Assert.Equal(50_000L, byNode["dn-3"].GetTagItem("pyhdfs.bytes"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
