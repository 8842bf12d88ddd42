using System.Buffers.Binary;
using PyHdfs.Protocol.DataTransfer;
using PyHdfs.Protocol.DataTransfer.Hadoop;

namespace PyHdfs.Protocol.Tests.Hadoop;

public sealed class HadoopPacketParserTests
{
    private const int BytesPerChecksum = 512;
    private static readonly TransferLimits Limits = TransferLimits.Default;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Frame(HadoopPacketHeader header)
    {
        var bytes = new byte[HadoopPacketHeader.PrefixSize + HadoopPacketHeader.ProtoSize];
        header.WriteFrame(bytes, BytesPerChecksum);
        return bytes;
    }

    [Fact]
    public void Op_header_recognised_and_distinct_from_our_magic()
    {
        Assert.True(HadoopOpHeader.LooksLikeHadoop([0x00, 0x1c]));
        Assert.False(HadoopOpHeader.LooksLikeHadoop("PY"u8));
        Assert.Equal(HadoopOp.ReadBlock, HadoopOpHeader.Parse([0x00, 0x1c, 81]));
        Assert.Equal(HadoopOp.WriteBlock, HadoopOpHeader.Parse([0x00, 0x1c, 80]));
        Assert.Equal(HadoopOp.BlockChecksum, HadoopOpHeader.Parse([0x00, 0x1c, 85]));
    }

    [Fact]
    public void Wrong_version_or_op_is_refused_clearly()
    {
        var version = Assert.Throws<DataTransferProtocolException>(() => HadoopOpHeader.Parse([0x00, 0x1b, 81]));
        Assert.Contains("version 27", version.Message);
        Assert.Throws<DataTransferProtocolException>(() => HadoopOpHeader.Parse([0x00, 0x1c, 82]));
        Assert.Throws<DataTransferProtocolException>(() => HadoopOpHeader.Parse([0x00, 0x1c]));
    }

    [Fact]
    public async Task Packet_header_round_trips()
    {
        var header = new HadoopPacketHeader(OffsetInBlock: 65536, SeqNo: 2, LastPacketInBlock: false, DataLength: 1000, SyncBlock: false);
        var parsed = await HadoopPacketHeader.ReadAsync(new MemoryStream(Frame(header)), BytesPerChecksum, Limits, Token);
        Assert.Equal(header, parsed);
        Assert.Equal(8, parsed.ChecksumBytes(BytesPerChecksum));
    }

    [Fact]
    public async Task Heartbeat_is_recognised()
    {
        var heartbeat = new HadoopPacketHeader(0, HadoopPacketHeader.HeartbeatSeqNo, false, 0, false);
        var frame = Frame(heartbeat);
        Assert.Equal(4, BinaryPrimitives.ReadInt32BigEndian(frame));
        var parsed = await HadoopPacketHeader.ReadAsync(new MemoryStream(frame), BytesPerChecksum, Limits, Token);
        Assert.True(parsed.IsHeartbeat);
    }

    [Fact]
    public async Task Packet_claiming_2_GiB_is_refused_without_allocating_it()
    {
        var frame = Frame(new HadoopPacketHeader(0, 1, false, int.MaxValue, false));
        var error = await Assert.ThrowsAsync<DataTransferProtocolException>(
            async () => await HadoopPacketHeader.ReadAsync(new MemoryStream(frame), BytesPerChecksum, Limits, Token));
        Assert.Contains("data length", error.Message);
    }

    [Fact]
    public async Task Header_length_claiming_32_KiB_is_refused()
    {
        var frame = Frame(new HadoopPacketHeader(0, 1, false, 0, false));
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), short.MaxValue);
        await Assert.ThrowsAsync<DataTransferProtocolException>(
            async () => await HadoopPacketHeader.ReadAsync(new MemoryStream(frame), BytesPerChecksum, Limits, Token));
    }

    [Fact]
    public async Task Payload_length_disagreeing_with_data_length_is_refused()
    {
        var frame = Frame(new HadoopPacketHeader(0, 1, false, 512, false));
        BinaryPrimitives.WriteInt32BigEndian(frame, int.MaxValue);
        await Assert.ThrowsAsync<DataTransferProtocolException>(
            async () => await HadoopPacketHeader.ReadAsync(new MemoryStream(frame), BytesPerChecksum, Limits, Token));
    }

    [Fact]
    public async Task Every_truncation_is_refused()
    {
        var frame = Frame(new HadoopPacketHeader(512, 3, true, 0, false));
        for (var length = 0; length < frame.Length; length++)
        {
            var truncated = frame.AsMemory(0, length).ToArray();
            await Assert.ThrowsAsync<DataTransferProtocolException>(
                async () => await HadoopPacketHeader.ReadAsync(new MemoryStream(truncated), BytesPerChecksum, Limits, Token));
        }
    }

    [Fact]
    public void Missing_required_field_is_refused()
    {
        var proto = new byte[HadoopPacketHeader.ProtoSize];
        new HadoopPacketHeader(0, 1, false, 0, false).WriteProto(proto);
        Assert.Throws<DataTransferProtocolException>(() => HadoopPacketHeader.ParseProto(proto.AsSpan(0, 20)));
    }

    [Fact]
    public async Task Random_bytes_never_crash_the_parser()
    {
        var random = new Random(28);
        var buffer = new byte[128];
        for (var i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            try
            {
                var header = await HadoopPacketHeader.ReadAsync(new MemoryStream(buffer), BytesPerChecksum, Limits, Token);
                Assert.InRange(header.DataLength, 0, Limits.MaxPacketDataBytes);
            }
            catch (DataTransferProtocolException)
            {
            }
        }
    }
}
