using System.Buffers.Binary;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Protocol.Tests;

public sealed class PacketHeaderTests
{
    private static readonly TransferLimits Limits = TransferLimits.Default;

    [Theory]
    [InlineData(0, 0, 0, PacketFlags.None)]
    [InlineData(5, 1L << 33, 65536, PacketFlags.Sync)]
    [InlineData(long.MaxValue, long.MaxValue, 16 * 1024 * 1024, PacketFlags.None)]
    [InlineData(9, 4096, 0, PacketFlags.LastPacketInBlock | PacketFlags.Sync)]
    public void Round_trips(long seqNo, long offset, int length, PacketFlags flags)
    {
        var header = new PacketHeader(seqNo, offset, length, flags);
        var bytes = new byte[PacketHeader.Size];
        header.Write(bytes);

        Assert.True(PacketHeader.TryParse(bytes, Limits, out var parsed));
        Assert.Equal(header, parsed);
        Assert.Equal(seqNo, BinaryPrimitives.ReadInt64BigEndian(bytes));
        Assert.Equal(offset, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
        Assert.Equal(length, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
    }

    [Fact]
    public void Short_input_is_not_a_header_yet()
    {
        Assert.False(PacketHeader.TryParse(new byte[PacketHeader.Size - 1], Limits, out _));
    }

    [Fact]
    public void Checksum_bytes_count_one_crc_per_started_chunk()
    {
        Assert.Equal(0, new PacketHeader(0, 0, 0, PacketFlags.None).ChecksumBytes(512));
        Assert.Equal(4, new PacketHeader(0, 0, 1, PacketFlags.None).ChecksumBytes(512));
        Assert.Equal(8, new PacketHeader(0, 0, 1024, PacketFlags.None).ChecksumBytes(512));
        Assert.Equal(12, new PacketHeader(0, 0, 1025, PacketFlags.None).ChecksumBytes(512));
    }

    public static TheoryData<string, byte[]> Rejected => new()
    {
        { "negative packet sequence number", Bytes(b => BinaryPrimitives.WriteInt64BigEndian(b, -1)) },
        { "negative packet offset", Bytes(b => BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(8), long.MinValue)) },
        { "packet data length -1", Bytes(b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), -1)) },
        { "packet data length 16777217", Bytes(b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), (16 * 1024 * 1024) + 1)) },
        { "unknown flags", Bytes(b => b[20] = 4) },
        { "unknown flags", Bytes(b => b[20] = 0x80) },
        { "non-zero reserved", Bytes(b => b[21] = 1) },
        { "non-zero reserved", Bytes(b => b[22] = 1) },
        { "non-zero reserved", Bytes(b => b[23] = 1) },
        { "must carry no data", Bytes(b => { b[20] = (byte)PacketFlags.LastPacketInBlock; BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), 1); }) },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Out_of_limit_fields_are_rejected(string expected, byte[] bytes)
    {
        var e = Assert.Throws<DataTransferProtocolException>(() => PacketHeader.TryParse(bytes, Limits, out _));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smaller_limits_are_enforced()
    {
        var bytes = new byte[PacketHeader.Size];
        new PacketHeader(0, 0, 2048, PacketFlags.None).Write(bytes);

        Assert.Throws<DataTransferProtocolException>(() => PacketHeader.TryParse(bytes, Limits with { MaxPacketDataBytes = 1024 }, out _));
        Assert.True(PacketHeader.TryParse(bytes, Limits with { MaxPacketDataBytes = 2048 }, out _));
    }

    private static byte[] Bytes(Action<byte[]> mutate)
    {
        var bytes = new byte[PacketHeader.Size];
        new PacketHeader(1, 0, 512, PacketFlags.None).Write(bytes);
        mutate(bytes);
        return bytes;
    }
}
