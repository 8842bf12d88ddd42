using System.Buffers.Binary;

namespace PyHdfs.Protocol.DataTransfer.Hadoop;

/// <summary>
/// Hadoop's packet header (reference §3.3): int32 BE payloadLen (4 + checksums + data), int16 BE
/// headerLen, then PacketHeaderProto whose fields are all fixed-width, so it is encoded and parsed
/// here by hand without allocating.
/// </summary>
public readonly record struct HadoopPacketHeader(long OffsetInBlock, long SeqNo, bool LastPacketInBlock, int DataLength, bool SyncBlock)
{
    public const int PrefixSize = 6;
    public const long HeartbeatSeqNo = -1;
    private const int MaxProtoBytes = 64;

    public bool IsHeartbeat => SeqNo == HeartbeatSeqNo;

    public int ChecksumBytes(int bytesPerChecksum) => ChunkChecksums.CountFor(DataLength, bytesPerChecksum) * ChunkChecksums.ChecksumSize;

    /// <summary>Bytes of the proto written by <see cref="WriteProto"/>.</summary>
    public const int ProtoSize = 9 + 9 + 2 + 5;

    public void WriteProto(Span<byte> destination)
    {
        destination[0] = 0x09;
        BinaryPrimitives.WriteInt64LittleEndian(destination[1..], OffsetInBlock);
        destination[9] = 0x11;
        BinaryPrimitives.WriteInt64LittleEndian(destination[10..], SeqNo);
        destination[18] = 0x18;
        destination[19] = LastPacketInBlock ? (byte)1 : (byte)0;
        destination[20] = 0x25;
        BinaryPrimitives.WriteInt32LittleEndian(destination[21..], DataLength);
    }

    /// <summary>Writes payloadLen, headerLen and the proto: <see cref="PrefixSize"/> + <see cref="ProtoSize"/> bytes.</summary>
    public void WriteFrame(Span<byte> destination, int bytesPerChecksum)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, 4 + ChecksumBytes(bytesPerChecksum) + DataLength);
        BinaryPrimitives.WriteInt16BigEndian(destination[4..], ProtoSize);
        WriteProto(destination[PrefixSize..]);
    }

    /// <summary>Reads one packet header from <paramref name="stream"/> and checks it against the limits.</summary>
    public static async ValueTask<HadoopPacketHeader> ReadAsync(Stream stream, int bytesPerChecksum, TransferLimits limits, CancellationToken cancellationToken)
    {
        var prefix = new byte[PrefixSize];
        await ReadExactAsync(stream, prefix, cancellationToken).ConfigureAwait(false);
        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(prefix);
        var headerLength = BinaryPrimitives.ReadInt16BigEndian(prefix.AsSpan(4));
        if (headerLength <= 0 || headerLength > MaxProtoBytes)
            throw new DataTransferProtocolException($"Hadoop packet header length {headerLength} outside 1..{MaxProtoBytes}");
        var proto = new byte[headerLength];
        await ReadExactAsync(stream, proto, cancellationToken).ConfigureAwait(false);
        var header = ParseProto(proto);
        header.Validate(payloadLength, bytesPerChecksum, limits);
        return header;
    }

    private void Validate(int payloadLength, int bytesPerChecksum, TransferLimits limits)
    {
        if (DataLength < 0 || DataLength > limits.MaxPacketDataBytes)
            throw new DataTransferProtocolException($"Hadoop packet data length {DataLength} outside 0..{limits.MaxPacketDataBytes}");
        if (OffsetInBlock < 0)
            throw new DataTransferProtocolException($"Hadoop packet offset {OffsetInBlock} is negative");
        var expected = 4L + ChecksumBytes(bytesPerChecksum) + DataLength;
        if (payloadLength != expected)
            throw new DataTransferProtocolException($"Hadoop packet payload length {payloadLength}, expected {expected} for {DataLength} data bytes");
    }

    /// <summary>Parses PacketHeaderProto; refuses unknown wire types and missing required fields.</summary>
    public static HadoopPacketHeader ParseProto(ReadOnlySpan<byte> proto)
    {
        long? offset = null, seqNo = null;
        bool? last = null;
        int? dataLength = null;
        var sync = false;
        var position = 0;
        while (position < proto.Length)
        {
            var tag = proto[position++];
            switch (tag)
            {
                case 0x09: offset = BinaryPrimitives.ReadInt64LittleEndian(Take(proto, ref position, 8)); break;
                case 0x11: seqNo = BinaryPrimitives.ReadInt64LittleEndian(Take(proto, ref position, 8)); break;
                case 0x18: last = Take(proto, ref position, 1)[0] != 0; break;
                case 0x25: dataLength = BinaryPrimitives.ReadInt32LittleEndian(Take(proto, ref position, 4)); break;
                case 0x28: sync = Take(proto, ref position, 1)[0] != 0; break;
                default: throw new DataTransferProtocolException($"unexpected field tag 0x{tag:x2} in Hadoop packet header");
            }
        }
        if (offset is null || seqNo is null || last is null || dataLength is null)
            throw new DataTransferProtocolException("Hadoop packet header lacks a required field");
        return new HadoopPacketHeader(offset.Value, seqNo.Value, last.Value, dataLength.Value, sync);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> proto, ref int position, int count)
    {
        if (proto.Length - position < count)
            throw new DataTransferProtocolException("Hadoop packet header truncated");
        var slice = proto.Slice(position, count);
        position += count;
        return slice;
    }

    private static async ValueTask ReadExactAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new DataTransferProtocolException("connection closed inside a Hadoop packet header");
        }
    }
}
