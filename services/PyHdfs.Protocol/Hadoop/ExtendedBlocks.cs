namespace PyHdfs.Protocol.Hadoop;

/// <summary>Hadoop's ExtendedBlockProto (unsigned fields) as our BlockRef; values beyond a long become long.MaxValue, which no block has.</summary>
public static class ExtendedBlocks
{
    public static BlockRef ToBlockRef(this ExtendedBlockProto block) => new()
    {
        BlockId = (long)Math.Min(block.BlockId, long.MaxValue),
        GenerationStamp = (long)Math.Min(block.GenerationStamp, long.MaxValue),
        NumBytes = (long)Math.Min(block.NumBytes, long.MaxValue),
    };
}
