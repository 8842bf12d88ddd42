using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Client.Tests;

/// <summary>Pipeline recovery decisions of the writer, against fake DataNodes that fail on command.</summary>
public sealed class PipelineRecoveryTests : IAsyncLifetime
{
    private const long BlockSize = 1L << 20;
    private const int PacketSize = 64 * 1024;
    private const long FirstBlock = 1L << 30;
    private readonly FakeStorage _storage = new();
    private readonly List<FakeDataNode> _nodes = [];

    public ValueTask InitializeAsync()
    {
        for (var i = 1; i <= 5; i++)
        {
            _nodes.Add(new FakeDataNode($"dn{i}", _storage));
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static DfsClientOptions Options() => new()
    {
        NameNodes = [new Uri("http://127.0.0.1:1")],
        ClientName = "test-client",
        PacketSizeBytes = PacketSize,
        BytesPerChecksum = 4096,
        WriteWindowPackets = 8,
        DataNodeTimeout = TimeSpan.FromSeconds(10),
        CompleteTimeout = TimeSpan.FromSeconds(5),
    };

    private static byte[] Data(long length)
    {
        var data = new byte[length];
        new Random((int)length).NextBytes(data);
        return data;
    }

    private async Task<(FakeNameNode NameNode, DfsOutputStream Stream)> WriteAsync(byte[] data, int replication)
    {
        var nameNode = new FakeNameNode("/f", _nodes, replication);
        var stream = new DfsOutputStream("/f", BlockSize, replication, nameNode, Options(), null, null);
        for (var offset = 0; offset < data.Length; offset += 100_000)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), TestContext.Current.CancellationToken);
        }
        await stream.CloseAsync(TestContext.Current.CancellationToken);
        return (nameNode, stream);
    }

    private async Task AssertReadsBackAsync(FakeNameNode nameNode, byte[] data)
    {
        await using var input = new DfsInputStream("/f", nameNode.Locations(), nameNode, Options(), null);
        var read = new MemoryStream();
        await input.CopyToAsync(read, TestContext.Current.CancellationToken);
        Assert.True(data.AsSpan().SequenceEqual(read.ToArray()), "the file read back differs");
    }

    private static bool FirstWriteOf(WriteBlockHeader header, long blockId) => header.Block.BlockId == blockId && header.Stage == WriteStage.Create;

    [Fact]
    public async Task A_bad_reply_drops_that_node_and_the_survivors_get_the_unacknowledged_packets_under_a_new_stamp()
    {
        _nodes[0].FailAck = (h, seq) => FirstWriteOf(h, FirstBlock) && seq == 3 ? 1 : null;
        var data = Data((2 * BlockSize) + 12345);

        var (nameNode, stream) = await WriteAsync(data, replication: 3);

        var stamp = Assert.Single(nameNode.StampRequests);
        Assert.Equal(FirstBlock, stamp.BlockId);
        var update = Assert.Single(nameNode.PipelineUpdates);
        Assert.Equal(["dn1", "dn3"], update.Nodes);
        Assert.Equal(1000, update.Old.GenerationStamp);
        Assert.Equal(2000, update.New.GenerationStamp);
        Assert.Equal(3 * PacketSize, update.New.NumBytes);
        var recovery = Assert.Single(_nodes[0].Headers, h => h.Stage == WriteStage.Recovery);
        Assert.Equal(3 * PacketSize, recovery.Block.NumBytes);
        Assert.Equal(2000, recovery.Block.GenerationStamp);
        Assert.Equal(["dn3"], recovery.Downstream.Select(d => d.Id));
        Assert.Equal(2000, nameNode.Previous[1]!.GenerationStamp);
        Assert.Equal(1, stream.PipelineRecoveries);
        Assert.Equal(2, stream.MinReplicasWritten);
        Assert.True(_storage.TryGet("dn3", FirstBlock, out var replica) && replica.AsSpan().SequenceEqual(data.AsSpan(0, (int)BlockSize)));
        Assert.False(_storage.TryGet("dn2", FirstBlock, out _));
        Assert.All(_nodes, n => Assert.Empty(n.Errors));
        await AssertReadsBackAsync(nameNode, data);
    }

    [Fact]
    public async Task A_failed_first_node_is_replaced_by_the_next_one()
    {
        _nodes[0].FailAck = (h, seq) => FirstWriteOf(h, FirstBlock) && seq == 0 ? 0 : null;
        var data = Data(BlockSize / 2);

        var (nameNode, _) = await WriteAsync(data, replication: 3);

        Assert.Equal(["dn2", "dn3"], Assert.Single(nameNode.PipelineUpdates).Nodes);
        var recovery = Assert.Single(_nodes[1].Headers, h => h.Stage == WriteStage.Recovery);
        Assert.Equal(0, recovery.Block.NumBytes);
        await AssertReadsBackAsync(nameNode, data);
    }

    [Fact]
    public async Task A_failure_at_the_block_boundary_resends_the_end_of_block_packet()
    {
        var lastSeqNo = BlockSize / PacketSize;
        _nodes[0].FailAck = (h, seq) => FirstWriteOf(h, FirstBlock) && seq == lastSeqNo ? 2 : null;
        var data = Data(BlockSize + 5000);

        var (nameNode, _) = await WriteAsync(data, replication: 3);

        var update = Assert.Single(nameNode.PipelineUpdates);
        Assert.Equal(["dn1", "dn2"], update.Nodes);
        Assert.Equal(BlockSize, update.New.NumBytes);
        await AssertReadsBackAsync(nameNode, data);
    }

    [Fact]
    public async Task Recoveries_of_a_block_are_bounded()
    {
        foreach (var node in _nodes)
        {
            node.FailAck = (_, _) => 0;
        }

        var nameNode = new FakeNameNode("/f", _nodes, 5);
        var stream = new DfsOutputStream("/f", BlockSize, 5, nameNode, Options(), null, null);

        var e = await Assert.ThrowsAsync<DfsIOException>(async () =>
        {
            await stream.WriteAsync(Data(300_000), TestContext.Current.CancellationToken);
            await stream.CloseAsync(TestContext.Current.CancellationToken);
        });

        Assert.Equal(3, nameNode.StampRequests.Count);
        Assert.Equal(3, nameNode.PipelineUpdates.Count);
        Assert.Contains("/f", e.Message, StringComparison.Ordinal);
        Assert.Contains($"blk_{FirstBlock}", e.Message, StringComparison.Ordinal);
        Assert.Contains("failed 4 times", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_surviving_node_fails_the_write_naming_path_block_and_nodes()
    {
        var nameNode = new FakeNameNode("/f", _nodes.Take(1).ToList(), 1);
        _nodes[0].FailAck = (_, _) => 0;
        var stream = new DfsOutputStream("/f", BlockSize, 1, nameNode, Options(), null, null);

        var e = await Assert.ThrowsAsync<DfsIOException>(async () =>
        {
            await stream.WriteAsync(Data(300_000), TestContext.Current.CancellationToken);
            await stream.CloseAsync(TestContext.Current.CancellationToken);
        });

        Assert.Equal(ErrorKind.NotEnoughDatanodes, e.Kind);
        Assert.Contains("/f", e.Message, StringComparison.Ordinal);
        Assert.Contains($"blk_{FirstBlock}", e.Message, StringComparison.Ordinal);
        Assert.Contains("[dn1]", e.Message, StringComparison.Ordinal);
        Assert.Empty(nameNode.StampRequests);
        await stream.DisposeAsync();
        Assert.True(nameNode.FileAbandoned);
    }
}
