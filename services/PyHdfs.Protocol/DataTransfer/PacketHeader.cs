using System.Buffers.Binary;

namespace PyHdfs.Protocol.DataTransfer;

[Flags]
public enum PacketFlags : byte
{
    None = 0,
    /// <summary>The empty packet that ends a block.</summary>
    LastPacketInBlock = 1,
    /// <summary>The receiver must make the data durable (fsync) before acking.</summary>
    Sync = 2,
}

/// <summary>
/// The fixed 24-byte header of a data packet:
/// <c>seqno (int64 BE) | offset in block (int64 BE) | data length (int32 BE) | flags (1) | reserved (3, zero)</c>,
/// followed by one CRC32 (uint32 BE) per chunk of the data, then the data. A packet's data starts
/// at a chunk boundary of the block.
/// </summary>
public readonly record struct PacketHeader(long SeqNo, long OffsetInBlock, int DataLength, PacketFlags Flags)
{
    public const int Size = 24;
    private const PacketFlags KnownFlags = PacketFlags.LastPacketInBlock | PacketFlags.Sync;

    public bool IsLast => (Flags & PacketFlags.LastPacketInBlock) != 0;

    public int ChecksumBytes(int bytesPerChecksum) => ChunkChecksums.CountFor(DataLength, bytesPerChecksum) * ChunkChecksums.ChecksumSize;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, SeqNo);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], OffsetInBlock);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], DataLength);
        destination[20] = (byte)Flags;
        destination[21] = 0;
        destination[22] = 0;
        destination[23] = 0;
    }

    /// <summary>Returns false on fewer than <see cref="Size"/> bytes; throws <see cref="DataTransferProtocolException"/> on a header out of limits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> input, TransferLimits limits, out PacketHeader header)
    {
        header = default;
        if (input.Length < Size)
        {
            return false;
        }
        var seqNo = BinaryPrimitives.ReadInt64BigEndian(input);
        var offset = BinaryPrimitives.ReadInt64BigEndian(input[8..]);
        var length = BinaryPrimitives.ReadInt32BigEndian(input[16..]);
        var flags = (PacketFlags)input[20];
        if (seqNo < 0)
        {
            throw new DataTransferProtocolException($"negative packet sequence number {seqNo}");
        }
        if (offset < 0)
        {
            throw new DataTransferProtocolException($"negative packet offset {offset}");
        }
        if (length < 0 || length > limits.MaxPacketDataBytes)
        {
            throw new DataTransferProtocolException($"packet data length {length} outside 0..{limits.MaxPacketDataBytes}");
        }
        if ((flags & ~KnownFlags) != 0 || input[21] != 0 || input[22] != 0 || input[23] != 0)
        {
            throw new DataTransferProtocolException($"packet header has unknown flags 0x{input[20]:X2} or non-zero reserved bytes");
        }
        if ((flags & PacketFlags.LastPacketInBlock) != 0 && length != 0)
        {
            throw new DataTransferProtocolException("the last packet of a block must carry no data");
        }
        header = new PacketHeader(seqNo, offset, length, flags);
        return true;
    }
}
