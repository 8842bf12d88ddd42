using PyHdfs.Protocol.NameNode;

namespace PyHdfs.Client;

/// <summary>The state of one block that is not healthy.</summary>
public enum DfsBlockHealth
{
    Healthy,
    UnderReplicated,
    OverReplicated,
    /// <summary>Every remaining replica is corrupt.</summary>
    Corrupt,
    /// <summary>No replica on a live DataNode.</summary>
    Missing,
}

public sealed record DfsFsckBlock(long BlockId, long GenerationStamp, long Length, DfsBlockHealth Health, int ExpectedReplicas,
    int LiveReplicas, int CorruptReplicas, IReadOnlyList<string> DataNodeIds)
{
    public string Name => $"blk_{BlockId}";
}

public sealed record DfsFsckFile(string Path, long Length, int Replication, IReadOnlyList<DfsFsckBlock> Blocks);

/// <summary>fsck of a path: counts, and the files with unhealthy blocks. Healthy: no corrupt or missing block.</summary>
public sealed record DfsFsckReport(bool Healthy, long TotalFiles, long TotalDirectories, long TotalBlocks, long UnderReplicatedBlocks,
    long OverReplicatedBlocks, long CorruptBlocks, long MissingBlocks, IReadOnlyList<DfsFsckFile> Files)
{
    internal static DfsFsckReport From(FsckResponse r) => new(r.Healthy, r.TotalFiles, r.TotalDirectories, r.TotalBlocks,
        r.UnderReplicatedBlocks, r.OverReplicatedBlocks, r.CorruptBlocks, r.MissingBlocks,
        r.Files.Select(f => new DfsFsckFile(f.Path, f.Length, f.Replication, f.Blocks.Select(b => new DfsFsckBlock(
            b.Block.BlockId, b.Block.GenerationStamp, b.Block.NumBytes, HealthOf(b.Health), b.ExpectedReplicas, b.LiveReplicas,
            b.CorruptReplicas, b.DatanodeIds.ToArray())).ToArray())).ToArray());

    private static DfsBlockHealth HealthOf(BlockHealth health) => health switch
    {
        BlockHealth.UnderReplicated => DfsBlockHealth.UnderReplicated,
        BlockHealth.OverReplicated => DfsBlockHealth.OverReplicated,
        BlockHealth.Corrupt => DfsBlockHealth.Corrupt,
        BlockHealth.Missing => DfsBlockHealth.Missing,
        _ => DfsBlockHealth.Healthy,
    };
}
