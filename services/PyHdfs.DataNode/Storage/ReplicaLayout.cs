using System.Globalization;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// Where replicas live under a data directory. Every path is built from a validated numeric block
/// id and generation stamp only, never from other peer input.
/// </summary>
internal sealed class ReplicaLayout(string dataDir)
{
    public string DataDir { get; } = Path.GetFullPath(dataDir);
    public string CurrentDir => Path.Combine(DataDir, "current");
    public string RbwDir => Path.Combine(CurrentDir, "rbw");
    public string FinalizedDir => Path.Combine(CurrentDir, "finalized");

    public static bool IsValidBlockId(long blockId) => blockId > 0;
    public static bool IsValidGenerationStamp(long generationStamp) => generationStamp >= 0;

    public static string BlockName(long blockId) => "blk_" + blockId.ToString(CultureInfo.InvariantCulture);

    public static string MetaName(long blockId, long generationStamp) =>
        BlockName(blockId) + "_" + generationStamp.ToString(CultureInfo.InvariantCulture) + ".meta";

    public string FinalizedSubdir(long blockId) =>
        Path.Combine(FinalizedDir, "subdir" + ((blockId >> 8) & 0xff).ToString(CultureInfo.InvariantCulture));

    public (string Data, string Meta) FinalizedPaths(long blockId, long generationStamp)
    {
        Validate(blockId, generationStamp);
        var dir = FinalizedSubdir(blockId);
        return (Path.Combine(dir, BlockName(blockId)), Path.Combine(dir, MetaName(blockId, generationStamp)));
    }

    public (string Data, string Meta) RbwPaths(long blockId, long generationStamp)
    {
        Validate(blockId, generationStamp);
        return (Path.Combine(RbwDir, BlockName(blockId)), Path.Combine(RbwDir, MetaName(blockId, generationStamp)));
    }

    /// <summary>Parses "blk_{id}" (data) names; false for anything else.</summary>
    public static bool TryParseDataName(string fileName, out long blockId)
    {
        blockId = 0;
        return fileName.StartsWith("blk_", StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out blockId)
            && IsValidBlockId(blockId);
    }

    /// <summary>Parses "blk_{id}_{genstamp}.meta" names; false for anything else.</summary>
    public static bool TryParseMetaName(string fileName, out long blockId, out long generationStamp)
    {
        blockId = 0;
        generationStamp = 0;
        if (!fileName.StartsWith("blk_", StringComparison.Ordinal) || !fileName.EndsWith(".meta", StringComparison.Ordinal))
        {
            return false;
        }
        var core = fileName.AsSpan(4, fileName.Length - 4 - 5);
        var underscore = core.IndexOf('_');
        return underscore > 0
            && long.TryParse(core[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out blockId)
            && long.TryParse(core[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out generationStamp)
            && IsValidBlockId(blockId);
    }

    private static void Validate(long blockId, long generationStamp)
    {
        if (!IsValidBlockId(blockId))
        {
            throw new ArgumentOutOfRangeException(nameof(blockId), blockId, "block ids are positive");
        }
        if (!IsValidGenerationStamp(generationStamp))
        {
            throw new ArgumentOutOfRangeException(nameof(generationStamp), generationStamp, "generation stamps are not negative");
        }
    }
}
