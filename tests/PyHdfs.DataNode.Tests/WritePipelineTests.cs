using Microsoft.Extensions.DependencyInjection;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Testing;

namespace PyHdfs.DataNode.Tests;

public sealed class WritePipelineTests : IAsyncLifetime
{
    private InProcessDataNode[] _nodes = [];

    public async ValueTask InitializeAsync() => _nodes = await InProcessDataNode.StartManyAsync(3);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    internal static Task WaitForNoWriteAsync(InProcessDataNode node) =>
        Eventually.WaitUntilAsync(() => node.App.Services.GetRequiredService<ReplicaStore>().WritesInProgress == 0,
            TimeSpan.FromSeconds(10), $"the writes on {node.Id} to end");

    [Fact]
    public async Task Block_written_through_three_nodes_is_on_every_disk_and_reads_back_identical()
    {
        var data = TestTransferClient.RandomBytes((3 * 1024 * 1024) + 12345, seed: 1);
        var header = TestTransferClient.Header(1 << 30, 1001, 64 * 1024, _nodes[1].Address, _nodes[2].Address);

        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address, header, data);

        Assert.Equal(TransferStatus.Success, outcome.Response.Status);
        Assert.True(outcome.FullySucceeded, "acks: " + string.Join(" ", outcome.Acks));
        Assert.Equal(outcome.LastSeqNo + 1, outcome.Acks.Count);
        Assert.All(outcome.Acks, ack => Assert.Equal(3, ack.Replies.Count));
        Assert.Equal(Enumerable.Range(0, outcome.Acks.Count).Select(i => (long)i), outcome.Acks.Select(a => a.Seqno));
        foreach (var node in _nodes)
        {
            var replica = ReplicaInspector.FindReplica(node.DataDir, 1 << 30);
            Assert.NotNull(replica);
            Assert.Equal(1001, replica.GenerationStamp);
            Assert.Equal(data.Length, replica.Length);
            Assert.Equal(64 * 1024, replica.BytesPerChecksum);
            Assert.True(ReplicaInspector.VerifyChecksums(replica), $"checksums on {node.Id}");
            Assert.StartsWith(Path.Combine(node.DataDir, "current", "finalized", "subdir0"), replica.DataPath, StringComparison.Ordinal);
            Assert.Equal(data, await File.ReadAllBytesAsync(replica.DataPath, TestContext.Current.CancellationToken));

            var read = await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(1 << 30, 1001));
            Assert.Equal(TransferStatus.Success, read.Response.Status);
            Assert.Equal(data.Length, read.Response.ReplicaLength);
            Assert.True(data.AsSpan().SequenceEqual(read.Data), $"bytes read from {node.Id} differ");
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(node.DataDir, "current", "rbw")));
        }
    }

    [Fact]
    public async Task Block_spanning_several_write_behind_ranges_is_stored_intact_on_every_node()
    {
        var data = TestTransferClient.RandomBytes((int)(WriteBehind.ChunkBytes * 5 / 2) + 777, seed: 9);
        var header = TestTransferClient.Header(79, 1001, 16 * 1024, _nodes[1].Address, _nodes[2].Address);

        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address, header, data);

        Assert.True(outcome.FullySucceeded, "acks: " + string.Join(" ", outcome.Acks));
        foreach (var node in _nodes)
        {
            var replica = ReplicaInspector.FindReplica(node.DataDir, 79);
            Assert.NotNull(replica);
            Assert.Equal(data.Length, replica.Length);
            Assert.True(ReplicaInspector.VerifyChecksums(replica), $"checksums on {node.Id}");
            var stored = await File.ReadAllBytesAsync(replica.DataPath, TestContext.Current.CancellationToken);
            Assert.True(data.AsSpan().SequenceEqual(stored), $"bytes on {node.Id} differ");
        }
    }

    [Fact]
    public async Task Corrupt_packet_checksum_is_rejected_and_no_replica_is_finalized()
    {
        var data = TestTransferClient.RandomBytes(1024 * 1024, seed: 2);
        var header = TestTransferClient.Header(77, 1001, 4096, _nodes[1].Address, _nodes[2].Address);

        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address, header, data, packetBytes: 64 * 1024, corruptPacket: 3);

        Assert.Equal(TransferStatus.Success, outcome.Response.Status);
        var error = Assert.Single(outcome.Acks, a => a.Replies.Any(r => r != TransferStatus.Success));
        Assert.Equal(3, error.Seqno);
        Assert.Equal(TransferStatus.ErrorChecksum, error.Replies[0]);
        // The packets before the bad one were written and acked first, in order (the error travels behind them).
        Assert.Equal([0L, 1L, 2L, 3L], outcome.Acks.Select(a => a.Seqno));
        Assert.All(outcome.Acks.Take(3), ack => Assert.Equal([TransferStatus.Success, TransferStatus.Success, TransferStatus.Success], ack.Replies));
        Assert.DoesNotContain(outcome.Acks, a => a.Seqno == outcome.LastSeqNo);
        foreach (var node in _nodes)
        {
            // The bytes before the bad packet stay in rbw for a pipeline recovery; nothing is finalized or served.
            await WaitForNoWriteAsync(node);
            Assert.Null(ReplicaInspector.FindReplica(node.DataDir, 77));
            var read = await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(77, 1001));
            Assert.Equal(TransferStatus.ErrorNotFound, read.Response.Status);
        }
    }

    [Fact]
    public async Task Connection_dropped_mid_block_leaves_no_replica_and_the_block_can_be_written_again()
    {
        var data = TestTransferClient.RandomBytes(2 * 1024 * 1024, seed: 3);
        var header = TestTransferClient.Header(78, 1001, 512, _nodes[1].Address, _nodes[2].Address);

        var dropped = await TestTransferClient.WriteAsync(_nodes[0].Address, header, data, packetBytes: 128 * 1024, stopAfterPackets: 5);
        Assert.False(dropped.FullySucceeded);

        foreach (var node in _nodes)
        {
            await WaitForNoWriteAsync(node);
            Assert.Null(ReplicaInspector.FindReplica(node.DataDir, 78));
        }

        var retried = await TestTransferClient.WriteAsync(_nodes[0].Address, header, data);
        Assert.True(retried.FullySucceeded, "acks: " + string.Join(" ", retried.Acks));
        Assert.All(_nodes, node => Assert.True(ReplicaInspector.VerifyChecksums(node.DataDir, 78)));
    }

    [Fact]
    public async Task Writing_an_existing_replica_answers_error_exists()
    {
        var data = TestTransferClient.RandomBytes(10_000, seed: 4);
        var first = await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(79, 1001, 512), data);
        Assert.True(first.FullySucceeded);

        var second = await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(79, 1001, 512), data);

        Assert.Equal(TransferStatus.ErrorExists, second.Response.Status);
        Assert.Contains("blk_79", second.Response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Existing_replica_on_a_downstream_node_fails_setup_with_that_node_as_first_bad_link()
    {
        var data = TestTransferClient.RandomBytes(5000, seed: 5);
        Assert.True((await TestTransferClient.WriteAsync(_nodes[2].Address, TestTransferClient.Header(80, 1001, 512), data)).FullySucceeded);

        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address,
            TestTransferClient.Header(80, 1001, 512, _nodes[1].Address, _nodes[2].Address), data);

        Assert.Equal(TransferStatus.ErrorDownstream, outcome.Response.Status);
        Assert.Equal(_nodes[2].Id, outcome.Response.FirstBadLink);
        Assert.Null(ReplicaInspector.FindReplica(_nodes[0].DataDir, 80));
        Assert.Null(ReplicaInspector.FindReplica(_nodes[1].DataDir, 80));
    }

    [Fact]
    public async Task Unreachable_downstream_is_named_as_first_bad_link()
    {
        var dead = new PyHdfs.Protocol.DataNodeAddress { Id = "dn-dead", Host = "127.0.0.1", DataPort = FreePort.Next() };
        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address,
            TestTransferClient.Header(81, 1001, 512, _nodes[1].Address, dead), TestTransferClient.RandomBytes(100, 6));

        Assert.Equal(TransferStatus.ErrorDownstream, outcome.Response.Status);
        Assert.Equal("dn-dead", outcome.Response.FirstBadLink);
    }

    [Fact]
    public async Task Empty_block_is_finalized_with_zero_length()
    {
        var outcome = await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(82, 1001, 512, _nodes[1].Address), []);

        Assert.True(outcome.FullySucceeded);
        var replica = ReplicaInspector.FindReplica(_nodes[1].DataDir, 82);
        Assert.NotNull(replica);
        Assert.Equal(0, replica.Length);
        var read = await TestTransferClient.ReadAsync(_nodes[0].Address, TestTransferClient.ReadHeader(82, 1001));
        Assert.Equal(TransferStatus.Success, read.Response.Status);
        Assert.Empty(read.Data);
    }
}
