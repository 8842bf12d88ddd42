namespace PyHdfs.Client.Write;

/// <summary>
/// Where packets end. A packet never crosses a block boundary and holds at most
/// <c>packetSize</c> bytes (a multiple of the chunk size), so every packet starts chunk aligned
/// and only the last data packet of a block can be short.
/// </summary>
internal static class PacketPlanner
{
    /// <summary>Data bytes the packet that starts at <paramref name="offsetInBlock"/> may hold.</summary>
    public static int Capacity(long blockSize, long offsetInBlock, int packetSize)
    {
        if (offsetInBlock < 0 || offsetInBlock >= blockSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetInBlock), $"offset {offsetInBlock} outside a block of {blockSize} bytes");
        }
        return (int)Math.Min(packetSize, blockSize - offsetInBlock);
    }

    /// <summary>The packets a file of <paramref name="fileLength"/> bytes is cut into, without the empty end-of-block packets.</summary>
    public static IEnumerable<(int BlockIndex, long OffsetInBlock, int Length)> Plan(long fileLength, long blockSize, int packetSize)
    {
        long position = 0;
        while (position < fileLength)
        {
            var blockIndex = (int)(position / blockSize);
            var offsetInBlock = position % blockSize;
            var length = (int)Math.Min(Capacity(blockSize, offsetInBlock, packetSize), fileLength - position);
            yield return (blockIndex, offsetInBlock, length);
            position += length;
        }
    }
}
