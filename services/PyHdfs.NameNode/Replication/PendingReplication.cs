namespace PyHdfs.NameNode.Replication;

/// <summary>A ReplicateCommand sent to <see cref="Source"/>: the targets that have not reported the new replica yet.</summary>
internal sealed class PendingReplication(string source, List<string> targets, long expiresMs)
{
    public string Source { get; } = source;

    public List<string> Targets { get; } = targets;

    /// <summary>Past this the copy is presumed lost and the block is looked at again.</summary>
    public long ExpiresMs { get; } = expiresMs;
}
