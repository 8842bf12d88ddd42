using System.Buffers.Binary;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Protocol.Tests;

public sealed class TransferFramingTests
{
    private static readonly TransferLimits Limits = TransferLimits.Default;
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static WriteBlockHeader SampleHeader()
    {
        var header = new WriteBlockHeader
        {
            Block = new BlockRef { BlockId = 1L << 30, GenerationStamp = 1001, NumBytes = 5 },
            ClientName = "client-1",
            Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            BytesPerChecksum = 512,
            Stage = WriteStage.Transfer,
        };
        header.Downstream.Add(new DataNodeAddress { Id = "dn-2", Host = "127.0.0.1", DataPort = 5002 });
        return header;
    }

    [Fact]
    public async Task Op_preamble_and_header_round_trip()
    {
        using var stream = new MemoryStream();
        await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, SampleHeader(), Token);
        var bytes = stream.ToArray();

        Assert.Equal("PYDT"u8.ToArray(), bytes[..4]);
        Assert.Equal(TransferFraming.Version, bytes[4]);
        Assert.Equal((byte)Opcode.WriteBlock, bytes[5]);
        Assert.Equal((uint)(bytes.Length - TransferFraming.OpPreambleSize), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(6)));

        stream.Position = 0;
        var op = await TransferFraming.ReadOpAsync(stream, Limits, Token);
        Assert.NotNull(op);
        Assert.Equal(Opcode.WriteBlock, op.Value.Opcode);
        Assert.Equal(SampleHeader(), WriteBlockHeader.Parser.ParseFrom(op.Value.Header));
    }

    [Fact]
    public void Preamble_needs_ten_bytes()
    {
        Assert.False(TransferFraming.TryParseOpPreamble("PYDT\u0001"u8, Limits, out _, out _));
    }

    [Fact]
    public async Task Empty_stream_is_a_clean_end_and_a_short_preamble_is_an_error()
    {
        Assert.Null(await TransferFraming.ReadOpAsync(new MemoryStream(), Limits, Token));
        await Assert.ThrowsAsync<DataTransferProtocolException>(async () =>
            await TransferFraming.ReadOpAsync(new MemoryStream("PYDT"u8.ToArray()), Limits, Token));
    }

    public static TheoryData<string, byte[]> BadPreambles => new()
    {
        { "bad magic", Preamble("HTTP", 1, 0x50, 4) },
        { "version", Preamble("PYDT", 2, 0x50, 4) },
        { "unknown opcode", Preamble("PYDT", 1, 0x42, 4) },
        { "exceeds the limit", Preamble("PYDT", 1, 0x51, (uint)Limits.MaxHeaderBytes + 1) },
        { "exceeds the limit", Preamble("PYDT", 1, 0x51, uint.MaxValue) },
    };

    [Theory]
    [MemberData(nameof(BadPreambles))]
    public void Bad_preambles_are_rejected(string expected, byte[] preamble)
    {
        var e = Assert.Throws<DataTransferProtocolException>(() => TransferFraming.TryParseOpPreamble(preamble, Limits, out _, out _));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_at_the_limit_is_accepted()
    {
        Assert.True(TransferFraming.TryParseOpPreamble(Preamble("PYDT", 1, 0x51, (uint)Limits.MaxHeaderBytes), Limits, out var opcode, out var length));
        Assert.Equal(Opcode.ReadBlock, opcode);
        Assert.Equal(Limits.MaxHeaderBytes, length);
    }

    [Fact]
    public async Task Truncated_op_header_is_an_error()
    {
        using var stream = new MemoryStream();
        await TransferFraming.WriteOpAsync(stream, Opcode.WriteBlock, SampleHeader(), Token);
        var truncated = new MemoryStream(stream.ToArray()[..^3]);

        var e = await Assert.ThrowsAsync<DataTransferProtocolException>(async () => await TransferFraming.ReadOpAsync(truncated, Limits, Token));
        Assert.Contains("op header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_round_trip_in_sequence()
    {
        using var stream = new MemoryStream();
        var response = new OpResponse { Status = TransferStatus.ErrorDownstream, FirstBadLink = "dn-3", Message = "boom", ChunkOffset = 1024, ReplicaLength = 99 };
        var ack = new PipelineAck { Seqno = 7, Replies = { TransferStatus.Success, TransferStatus.ErrorChecksum } };
        await TransferFraming.WriteMessageAsync(stream, response, Token);
        await TransferFraming.WriteMessageAsync(stream, ack, Token);
        stream.Position = 0;

        Assert.Equal(response, await TransferFraming.ReadMessageAsync(stream, OpResponse.Parser, Limits, Token));
        Assert.Equal(ack, await TransferFraming.ReadMessageAsync(stream, PipelineAck.Parser, Limits, Token));
    }

    [Fact]
    public async Task Oversized_message_length_is_rejected_before_reading_the_body()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Limits.MaxMessageBytes + 1);

        var e = await Assert.ThrowsAsync<DataTransferProtocolException>(async () =>
            await TransferFraming.ReadMessageAsync(new MemoryStream(bytes), PipelineAck.Parser, Limits, Token));
        Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_and_malformed_messages_are_rejected()
    {
        byte[] truncated = [0, 0, 0, 10, 8, 1];
        byte[] malformed = [0, 0, 0, 3, 0xFF, 0xFF, 0xFF];

        await Assert.ThrowsAsync<DataTransferProtocolException>(async () =>
            await TransferFraming.ReadMessageAsync(new MemoryStream(truncated), PipelineAck.Parser, Limits, Token));
        var e = await Assert.ThrowsAsync<DataTransferProtocolException>(async () =>
            await TransferFraming.ReadMessageAsync(new MemoryStream(malformed), PipelineAck.Parser, Limits, Token));
        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_context_parses_a_traceparent_and_ignores_garbage()
    {
        var context = TraceContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "k=v");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", context.SpanId.ToHexString());
        Assert.True(context.IsRemote);
        Assert.Equal("k=v", context.TraceState);
        Assert.Equal(default, TraceContext.Parse("not-a-traceparent", ""));
        Assert.Equal(default, TraceContext.Parse("", ""));
    }

    private static byte[] Preamble(string magic, byte version, byte opcode, uint length)
    {
        var bytes = new byte[TransferFraming.OpPreambleSize];
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(bytes, 0);
        bytes[4] = version;
        bytes[5] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), length);
        return bytes;
    }
}
