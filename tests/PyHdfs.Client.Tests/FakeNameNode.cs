using PyHdfs.Client.Read;
using PyHdfs.Client.Write;
using PyHdfs.Protocol;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client.Tests;

/// <summary>The NameNode side of one file, in memory: allocates blocks on the given DataNodes and records every call.</summary>
internal sealed class FakeNameNode(string path, IReadOnlyList<FakeDataNode> nodes, int replication) : IWriteTarget, IBlockLocator
{
    private readonly List<LocatedBlock> _blocks = [];
    private long _nextBlockId = 1L << 30;

    public List<IReadOnlyCollection<string>> AddBlockExcludes { get; } = [];
    public List<BlockRef?> Previous { get; } = [];
    public List<long> Abandoned { get; } = [];
    public List<BlockRef?> CompleteCalls { get; } = [];
    public List<(long BlockId, string Node)> BadReports { get; } = [];
    public bool FileAbandoned { get; private set; }

    /// <summary>Complete answers false this many times before true.</summary>
    public int CompleteFalseCount { get; set; }

    public long Length { get; private set; }

    public IReadOnlyList<LocatedBlock> Blocks => _blocks;

    public Task<AddBlockResponse> AddBlockAsync(BlockRef? previous, IReadOnlyCollection<string> excludedNodeIds, CancellationToken cancellationToken)
    {
        AddBlockExcludes.Add(excludedNodeIds.ToArray());
        Previous.Add(previous?.Clone());
        Record(previous);
        var offset = _blocks.Sum(b => b.Block.NumBytes);
        var located = new LocatedBlock { Block = new BlockRef { BlockId = _nextBlockId++, GenerationStamp = 1000 }, Offset = offset };
        located.Locations.AddRange(nodes.Where(n => !excludedNodeIds.Contains(n.Id)).Take(replication).Select(n => n.Address));
        _blocks.Add(located);
        return Task.FromResult(new AddBlockResponse { Block = located, ExpectedReplicas = replication });
    }

    public Task AbandonBlockAsync(BlockRef block, CancellationToken cancellationToken)
    {
        Abandoned.Add(block.BlockId);
        _blocks.RemoveAll(b => b.Block.BlockId == block.BlockId);
        return Task.CompletedTask;
    }

    public Task<bool> CompleteAsync(BlockRef? last, CancellationToken cancellationToken)
    {
        CompleteCalls.Add(last?.Clone());
        Record(last);
        Length = _blocks.Sum(b => b.Block.NumBytes);
        return Task.FromResult(CompleteCalls.Count > CompleteFalseCount);
    }

    public Task AbandonFileAsync(CancellationToken cancellationToken)
    {
        FileAbandoned = true;
        return Task.CompletedTask;
    }

    public List<BlockRef> StampRequests { get; } = [];
    public List<(BlockRef Old, BlockRef New, string[] Nodes)> PipelineUpdates { get; } = [];
    private long _nextStamp = 2000;

    public Task<LocatedBlock> UpdateBlockForPipelineAsync(BlockRef block, CancellationToken cancellationToken)
    {
        StampRequests.Add(block.Clone());
        var located = _blocks.Single(b => b.Block.BlockId == block.BlockId);
        located.Block.GenerationStamp = _nextStamp++;
        return Task.FromResult(located.Clone());
    }

    public Task UpdatePipelineAsync(BlockRef oldBlock, BlockRef newBlock, IReadOnlyList<string> dataNodeIds, CancellationToken cancellationToken)
    {
        PipelineUpdates.Add((oldBlock.Clone(), newBlock.Clone(), dataNodeIds.ToArray()));
        var located = _blocks.Single(b => b.Block.BlockId == newBlock.BlockId);
        var kept = located.Locations.Where(l => dataNodeIds.Contains(l.Id)).ToArray();
        located.Locations.Clear();
        located.Locations.AddRange(kept);
        return Task.CompletedTask;
    }

    /// <summary>When set, each answer of <see cref="Locations"/> carries copies of the blocks with the token for the answer's number (1, 2, …).</summary>
    public Func<int, Google.Protobuf.ByteString>? ReadToken { get; set; }

    public int LocationCalls { get; private set; }

    public GetBlockLocationsResponse Locations(long offset = 0, long length = 0)
    {
        var response = new GetBlockLocationsResponse
        {
            Status = new FileStatus { Path = path, Name = path.TrimStart('/'), Type = FileType.File, Length = Length, Replication = replication },
        };
        var call = ++LocationCalls;
        var blocks = _blocks.Where(b => b.Offset + b.Block.NumBytes > offset && (length == 0 || b.Offset < offset + length));
        response.Blocks.AddRange(ReadToken is null ? blocks : blocks.Select(b =>
        {
            var stamped = b.Clone();
            stamped.AccessToken = ReadToken(call);
            return stamped;
        }));
        return response;
    }

    public Task<GetBlockLocationsResponse> GetBlockLocationsAsync(long offset, long length, CancellationToken cancellationToken) =>
        Task.FromResult(Locations(offset, length));

    public Task ReportBadBlockAsync(BlockRef block, string dataNodeId, string reason, CancellationToken cancellationToken)
    {
        BadReports.Add((block.BlockId, dataNodeId));
        return Task.CompletedTask;
    }

    private void Record(BlockRef? block)
    {
        if (block is null)
        {
            return;
        }
        var located = _blocks.Single(b => b.Block.BlockId == block.BlockId);
        located.Block.NumBytes = block.NumBytes;
    }
}
