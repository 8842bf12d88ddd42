using Microsoft.Extensions.DependencyInjection;
using PyHdfs.DataNode.Storage;
using PyHdfs.DataNode.Tests.Support;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Tests;

/// <summary>WriteBlock stage RECOVERY: a replica continued under a newer generation stamp after a pipeline failure.</summary>
public sealed class PipelineRecoveryTests : IAsyncLifetime
{
    private const int Chunk = 512;
    private const int PacketBytes = 128 * 1024;
    private InProcessDataNode[] _nodes = [];

    public async ValueTask InitializeAsync() => _nodes = await InProcessDataNode.StartManyAsync(3);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static WriteBlockHeader Recovery(long blockId, long stamp, long numBytes, params DataNodeAddress[] downstream)
    {
        var header = TestTransferClient.Header(blockId, stamp, Chunk, downstream);
        header.Stage = WriteStage.Recovery;
        header.Block.NumBytes = numBytes;
        return header;
    }

    private async Task AssertFinalizedAsync(InProcessDataNode node, long blockId, long stamp, byte[] data)
    {
        var replica = ReplicaInspector.FindReplica(node.DataDir, blockId);
        Assert.NotNull(replica);
        Assert.Equal(stamp, replica.GenerationStamp);
        Assert.Equal(data.Length, replica.Length);
        Assert.True(ReplicaInspector.VerifyChecksums(replica), $"checksums on {node.Id}");
        var read = await TestTransferClient.ReadAsync(node.Address, TestTransferClient.ReadHeader(blockId, stamp));
        Assert.Equal(TransferStatus.Success, read.Response.Status);
        Assert.True(data.AsSpan().SequenceEqual(read.Data), $"bytes read from {node.Id} differ");
        Assert.Single(Directory.EnumerateFiles(Path.GetDirectoryName(replica.MetaPath)!, $"blk_{blockId}_*.meta"));
    }

    [Fact]
    public async Task A_dropped_write_continues_from_the_acknowledged_offset_under_the_new_stamp()
    {
        var data = TestTransferClient.RandomBytes((2 * 1024 * 1024) + 100, seed: 21);
        var first = TestTransferClient.Header(600, 1001, Chunk, _nodes[1].Address, _nodes[2].Address);
        var dropped = await TestTransferClient.WriteAsync(_nodes[0].Address, first, data, PacketBytes, stopAfterPackets: 5);
        Assert.False(dropped.FullySucceeded);
        foreach (var node in _nodes)
        {
            await WritePipelineTests.WaitForNoWriteAsync(node);
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(node.DataDir, "current", "rbw")));
        }

        // Node 1 dropped out: the survivors keep 3 packets and take the rest again.
        var kept = 3 * PacketBytes;
        var recovered = await TestTransferClient.WriteAsync(_nodes[0].Address, Recovery(600, 1002, kept, _nodes[2].Address), data, PacketBytes, startOffset: kept);

        Assert.True(recovered.FullySucceeded, "acks: " + string.Join(" ", recovered.Acks));
        await AssertFinalizedAsync(_nodes[0], 600, 1002, data);
        await AssertFinalizedAsync(_nodes[2], 600, 1002, data);
        Assert.Null(ReplicaInspector.FindReplica(_nodes[1].DataDir, 600));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_nodes[0].DataDir, "current", "rbw")));
    }

    [Fact]
    public async Task A_finalized_replica_is_recovered_at_the_block_end_and_the_old_stamp_is_gone()
    {
        var data = TestTransferClient.RandomBytes(300_000, seed: 22);
        var written = await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(601, 1001, Chunk), data, PacketBytes);
        Assert.True(written.FullySucceeded);

        var recovered = await TestTransferClient.WriteAsync(_nodes[0].Address, Recovery(601, 1005, data.Length), data, PacketBytes, startOffset: data.Length);

        Assert.True(recovered.FullySucceeded, "acks: " + string.Join(" ", recovered.Acks));
        await AssertFinalizedAsync(_nodes[0], 601, 1005, data);
    }

    [Fact]
    public async Task Recovery_is_refused_without_a_replica_with_a_stamp_not_older_or_with_too_few_bytes()
    {
        var data = TestTransferClient.RandomBytes(100_000, seed: 23);
        Assert.True((await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(602, 1001, Chunk), data, PacketBytes)).FullySucceeded);

        var missing = await TestTransferClient.WriteAsync(_nodes[1].Address, Recovery(602, 1002, 0), data, PacketBytes);
        var sameStamp = await TestTransferClient.WriteAsync(_nodes[0].Address, Recovery(602, 1001, 0), data, PacketBytes);
        var tooLong = await TestTransferClient.WriteAsync(_nodes[0].Address, Recovery(602, 1002, 200 * Chunk), data, PacketBytes);
        var unaligned = await TestTransferClient.WriteAsync(_nodes[0].Address, Recovery(602, 1002, Chunk + 1), data, PacketBytes);

        Assert.Equal(TransferStatus.ErrorNotFound, missing.Response.Status);
        Assert.Equal(TransferStatus.ErrorInvalid, sameStamp.Response.Status);
        Assert.Contains("not older", sameStamp.Response.Message, StringComparison.Ordinal);
        Assert.Equal(TransferStatus.ErrorNotFound, tooLong.Response.Status);
        Assert.Equal(TransferStatus.ErrorInvalid, unaligned.Response.Status);
        await AssertFinalizedAsync(_nodes[0], 602, 1001, data);
    }

    [Fact]
    public async Task A_replica_with_an_older_stamp_is_never_served_for_a_newer_one()
    {
        var data = TestTransferClient.RandomBytes(50_000, seed: 24);
        Assert.True((await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(603, 1001, Chunk), data, PacketBytes)).FullySucceeded);

        var read = await TestTransferClient.ReadAsync(_nodes[0].Address, TestTransferClient.ReadHeader(603, 1002));

        Assert.Equal(TransferStatus.ErrorNotFound, read.Response.Status);
        Assert.Contains("stale", read.Response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandoned_in_progress_replicas_are_swept()
    {
        var data = TestTransferClient.RandomBytes(1024 * 1024, seed: 25);
        await TestTransferClient.WriteAsync(_nodes[0].Address, TestTransferClient.Header(604, 1001, Chunk), data, PacketBytes, stopAfterPackets: 2);
        await WritePipelineTests.WaitForNoWriteAsync(_nodes[0]);
        var store = _nodes[0].App.Services.GetRequiredService<ReplicaStore>();

        Assert.Equal(0, store.SweepAbandoned(TimeSpan.FromHours(1)));
        Assert.Equal(2, store.SweepAbandoned(TimeSpan.Zero));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_nodes[0].DataDir, "current", "rbw")));
    }
}
