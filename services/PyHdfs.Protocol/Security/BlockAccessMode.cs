namespace PyHdfs.Protocol.Security;

/// <summary>
/// What a block access token lets its holder do with one block. READ serves ReadBlock; WRITE
/// accepts a client's WriteBlock (stages CREATE and RECOVERY); COPY accepts a DataNode's
/// re-replication (stage TRANSFER), which may replace a finalized replica with an older stamp and
/// so is not granted to writers.
/// </summary>
[Flags]
public enum BlockAccessMode : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Copy = 4,
}

public static class BlockAccessModes
{
    public const BlockAccessMode All = BlockAccessMode.Read | BlockAccessMode.Write | BlockAccessMode.Copy;

    /// <summary>"READ", "READ|WRITE", "nothing": for refusal messages.</summary>
    public static string Describe(BlockAccessMode modes) => modes == BlockAccessMode.None
        ? "nothing"
        : string.Join("|", Enum.GetValues<BlockAccessMode>()
            .Where(m => m != BlockAccessMode.None && modes.HasFlag(m))
            .Select(m => m.ToString().ToUpperInvariant()));
}
