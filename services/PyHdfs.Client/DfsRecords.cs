namespace PyHdfs.Client;

/// <summary>The status of a file or directory.</summary>
public sealed record DfsFileStatus(
    string Path,
    string Name,
    bool IsDirectory,
    long Length,
    int Replication,
    long BlockSizeBytes,
    DateTimeOffset ModificationTime,
    string Owner,
    string Group,
    uint Permission,
    long ChildrenCount,
    int BlockCount,
    int MinLiveReplicas,
    long FileId,
    DateTimeOffset AccessTime = default);

/// <summary>Where a DataNode takes block transfers.</summary>
public sealed record DfsDataNode(string Id, string Host, int DataPort)
{
    public override string ToString() => $"{Id} ({Host}:{DataPort})";
}

/// <summary>One block of a file and the DataNodes holding it (best first).</summary>
public sealed record DfsLocatedBlock(
    long BlockId,
    long GenerationStamp,
    long Offset,
    long Length,
    IReadOnlyList<DfsDataNode> Locations,
    bool Corrupt)
{
    public string Name => $"blk_{BlockId}";
}

public sealed record DfsDeleteResult(long FilesDeleted, long DirectoriesDeleted, long BlocksDeleted);

public sealed record DfsContentSummary(long Length, long FileCount, long DirectoryCount, long SpaceConsumed);

public sealed record DfsFsStats(
    long CapacityBytes,
    long UsedBytes,
    long RemainingBytes,
    int LiveDataNodes,
    int DeadDataNodes,
    long TotalBlocks,
    long UnderReplicatedBlocks,
    long MissingBlocks,
    long TotalFiles,
    long TotalDirectories,
    bool SafeMode);

public sealed record DfsDataNodeReport(
    DfsDataNode Node,
    bool Live,
    string HttpAddress,
    long CapacityBytes,
    long UsedBytes,
    long RemainingBytes,
    long BlockCount,
    DateTimeOffset? LastHeartbeat);

/// <summary>Raised when a block was stored on fewer DataNodes than the file's replication asks for.</summary>
public sealed class DfsDegradedWriteEventArgs(string path, long blockId, int replicas, int expectedReplicas) : EventArgs
{
    public string Path { get; } = path;
    public long BlockId { get; } = blockId;
    public int Replicas { get; } = replicas;
    public int ExpectedReplicas { get; } = expectedReplicas;
}
