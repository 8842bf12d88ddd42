using PyHdfs.Protocol;

namespace PyHdfs.Client.Tests;

/// <summary>The write and read paths against fake DataNodes over real loopback sockets.</summary>
public sealed class LoopbackTransferTests : IAsyncLifetime
{
    private const long BlockSize = 1L << 20;
    private readonly FakeStorage _storage = new();
    private readonly List<FakeDataNode> _nodes = [];

    public ValueTask InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
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

    private static DfsClientOptions Options(int window = 32) => new()
    {
        NameNodes = [new Uri("http://127.0.0.1:1")],
        ClientName = "test-client",
        WriteWindowPackets = window,
        DataNodeTimeout = TimeSpan.FromSeconds(10),
        CompleteTimeout = TimeSpan.FromSeconds(5),
    };

    private static byte[] Data(long length)
    {
        var data = new byte[length];
        new Random((int)length).NextBytes(data);
        return data;
    }

    private async Task<FakeNameNode> WriteAsync(byte[] data, long blockSize = BlockSize, int replication = 2, int window = 32, int writeChunk = 100_000)
    {
        var nameNode = new FakeNameNode("/f", _nodes, replication);
        var stream = new DfsOutputStream("/f", blockSize, replication, nameNode, Options(window), null, null);
        for (var offset = 0; offset < data.Length; offset += writeChunk)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(writeChunk, data.Length - offset)), TestContext.Current.CancellationToken);
        }
        await stream.DisposeAsync();
        Assert.All(_nodes, n => Assert.Empty(n.Errors));
        return nameNode;
    }

    private static async Task<byte[]> ReadAllAsync(FakeNameNode nameNode, long from = 0)
    {
        await using var input = new DfsInputStream("/f", nameNode.Locations(), nameNode, Options(), null);
        input.Seek(from, SeekOrigin.Begin);
        var output = new MemoryStream();
        await input.CopyToAsync(output, 77_777, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(BlockSize - 1)]
    [InlineData(BlockSize)]
    [InlineData(BlockSize + 1)]
    [InlineData((3 * BlockSize) + 12345)]
    public async Task Written_bytes_read_back_identically(long length)
    {
        var data = Data(length);
        var nameNode = await WriteAsync(data);

        Assert.Equal((length + BlockSize - 1) / BlockSize, nameNode.Blocks.Count);
        Assert.Equal(length, nameNode.Length);
        Assert.Equal(length == 0 ? null : nameNode.Blocks[^1].Block.NumBytes, nameNode.CompleteCalls[^1]?.NumBytes);
        Assert.All(nameNode.Blocks.Zip(nameNode.Blocks.Skip(1)), pair => Assert.Equal(BlockSize, pair.First.Block.NumBytes));
        Assert.Equal(data, await ReadAllAsync(nameNode));
        if (length > 0)
        {
            Assert.Equal(16 * 1024, _nodes[0].BytesPerChecksumSeen);
        }
    }

    [Fact]
    public async Task Each_AddBlock_carries_the_previous_block_with_its_length()
    {
        var nameNode = await WriteAsync(Data((2 * BlockSize) + 10));

        Assert.Null(nameNode.Previous[0]);
        Assert.Equal(BlockSize, nameNode.Previous[1]!.NumBytes);
        Assert.Equal(nameNode.Blocks[0].Block.BlockId, nameNode.Previous[1]!.BlockId);
        Assert.Equal(10, nameNode.CompleteCalls[^1]!.NumBytes);
    }

    [Fact]
    public async Task Block_size_that_is_not_a_multiple_of_the_chunk_size_works()
    {
        var data = Data(250_000);
        var nameNode = await WriteAsync(data, blockSize: 100_000);

        Assert.Equal([100_000L, 100_000L, 50_000L], nameNode.Blocks.Select(b => b.Block.NumBytes));
        Assert.Equal(data, await ReadAllAsync(nameNode));
    }

    [Fact]
    public async Task Unacknowledged_packets_stay_within_the_window()
    {
        foreach (var node in _nodes)
        {
            node.AckDelay = TimeSpan.FromMilliseconds(2);
        }
        await WriteAsync(Data(4 * BlockSize), blockSize: 8 * BlockSize, window: 4, writeChunk: 1 << 20);

        Assert.InRange(_nodes[0].MaxInFlight, 1, 4);
    }

    [Fact]
    public async Task Pipeline_setup_failure_abandons_the_block_and_excludes_the_bad_node()
    {
        _nodes[0].FailDownstream = "dn2";
        var data = Data(5000);
        var nameNode = await WriteAsync(data);

        Assert.Equal(2, nameNode.AddBlockExcludes.Count);
        Assert.Empty(nameNode.AddBlockExcludes[0]);
        Assert.Equal(["dn2"], nameNode.AddBlockExcludes[1]);
        Assert.Single(nameNode.Abandoned);
        Assert.Equal(["dn1", "dn3"], nameNode.Blocks[0].Locations.Select(l => l.Id));
        Assert.Equal(data, await ReadAllAsync(nameNode));
    }

    [Fact]
    public async Task Unreachable_first_node_is_excluded()
    {
        var dead = new FakeDataNode("dn0", _storage);
        var address = dead.Address;
        await dead.DisposeAsync();
        var nameNode = new FakeNameNode("/f", _nodes, 2);
        var stream = new DfsOutputStream("/f", BlockSize, 2, new DeadFirst(nameNode, address), Options(), null, null);
        await stream.WriteAsync(Data(10), TestContext.Current.CancellationToken);
        await stream.CloseAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["dn0"], nameNode.AddBlockExcludes[1]);
    }

    [Fact]
    public async Task Complete_is_retried_while_the_NameNode_answers_not_yet()
    {
        var nameNode = new FakeNameNode("/f", _nodes, 2) { CompleteFalseCount = 3 };
        var stream = new DfsOutputStream("/f", BlockSize, 2, nameNode, Options(), null, null);
        await stream.WriteAsync(Data(10), TestContext.Current.CancellationToken);
        await stream.CloseAsync(TestContext.Current.CancellationToken);

        Assert.Equal(4, nameNode.CompleteCalls.Count);
        Assert.False(nameNode.FileAbandoned);
    }

    [Fact]
    public async Task Complete_that_never_succeeds_fails_and_abandons_the_file()
    {
        var nameNode = new FakeNameNode("/f", _nodes, 2) { CompleteFalseCount = int.MaxValue };
        var options = Options() with { CompleteTimeout = TimeSpan.FromMilliseconds(400) };
        var stream = new DfsOutputStream("/f", BlockSize, 2, nameNode, options, null, null);
        await stream.WriteAsync(Data(10), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<DfsIOException>(() => stream.CloseAsync(TestContext.Current.CancellationToken));
        Assert.Equal(ErrorKind.NotYetReplicated, error.Kind);
        Assert.Contains("/f", error.Message, StringComparison.Ordinal);
        Assert.True(nameNode.FileAbandoned);
    }

    [Fact]
    public async Task Degraded_write_is_reported()
    {
        var nameNode = new FakeNameNode("/f", _nodes.Take(1).ToList(), 3);
        var stream = new DfsOutputStream("/f", BlockSize, 3, nameNode, Options(), null, null);
        var events = new List<DfsDegradedWriteEventArgs>();
        stream.DegradedWrite += (_, e) => events.Add(e);
        await stream.WriteAsync(Data(10), TestContext.Current.CancellationToken);
        await stream.CloseAsync(TestContext.Current.CancellationToken);

        Assert.True(stream.IsDegraded);
        Assert.Equal(1, stream.MinReplicasWritten);
        Assert.Equal(3, Assert.Single(events).ExpectedReplicas);
    }

    [Fact]
    public async Task Abort_abandons_the_file()
    {
        var nameNode = new FakeNameNode("/f", _nodes, 2);
        var stream = new DfsOutputStream("/f", BlockSize, 2, nameNode, Options(), null, null);
        await stream.WriteAsync(Data(300_000), TestContext.Current.CancellationToken);
        stream.Abort();

        Assert.True(nameNode.FileAbandoned);
        Assert.Empty(nameNode.CompleteCalls);
    }

    [Fact]
    public async Task Corrupt_replica_is_reported_and_the_next_one_is_read()
    {
        var data = Data(BlockSize + 5000);
        var nameNode = await WriteAsync(data);
        _nodes[0].CorruptReads = true;

        Assert.Equal(data, await ReadAllAsync(nameNode));
        Assert.Contains(nameNode.BadReports, r => r.Node == "dn1");
    }

    [Fact]
    public async Task Seek_reads_from_the_new_position()
    {
        var data = Data((2 * BlockSize) + 999);
        var nameNode = await WriteAsync(data);

        foreach (var from in new[] { 1L, 4095, 4096, BlockSize - 1, BlockSize, (2 * BlockSize) + 998, data.Length })
        {
            Assert.Equal(data.AsSpan((int)from).ToArray(), await ReadAllAsync(nameNode, from));
        }
    }

    [Fact]
    public async Task Read_fails_with_path_block_and_nodes_when_no_replica_works()
    {
        var nameNode = await WriteAsync(Data(1000));
        foreach (var node in _nodes)
        {
            node.CorruptReads = true;
        }

        var error = await Assert.ThrowsAsync<DfsIOException>(() => ReadAllAsync(nameNode));
        Assert.Contains("/f", error.Message, StringComparison.Ordinal);
        Assert.Contains($"blk_{nameNode.Blocks[0].Block.BlockId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("dn1", error.Message, StringComparison.Ordinal);
        Assert.Contains("dn2", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Puts an unreachable node first in the first pipeline.</summary>
    private sealed class DeadFirst(FakeNameNode inner, DataNodeAddress dead) : Write.IWriteTarget
    {
        private bool _first = true;

        public async Task<Protocol.NameNode.AddBlockResponse> AddBlockAsync(BlockRef? previous, IReadOnlyCollection<string> excludedNodeIds, CancellationToken cancellationToken)
        {
            var response = await inner.AddBlockAsync(previous, excludedNodeIds, cancellationToken);
            if (_first)
            {
                _first = false;
                response.Block.Locations.Insert(0, dead);
            }
            return response;
        }

        public Task AbandonBlockAsync(BlockRef block, CancellationToken cancellationToken) => inner.AbandonBlockAsync(block, cancellationToken);
        public Task<bool> CompleteAsync(BlockRef? last, CancellationToken cancellationToken) => inner.CompleteAsync(last, cancellationToken);
        public Task AbandonFileAsync(CancellationToken cancellationToken) => inner.AbandonFileAsync(cancellationToken);
        public Task<Protocol.NameNode.LocatedBlock> UpdateBlockForPipelineAsync(BlockRef block, CancellationToken cancellationToken) =>
            inner.UpdateBlockForPipelineAsync(block, cancellationToken);
        public Task UpdatePipelineAsync(BlockRef oldBlock, BlockRef newBlock, IReadOnlyList<string> dataNodeIds, CancellationToken cancellationToken) =>
            inner.UpdatePipelineAsync(oldBlock, newBlock, dataNodeIds, cancellationToken);
    }
}
