using FsCheck.Xunit;
using Google.Protobuf;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Protocol.Tests.HostileInput;

/// <summary>
/// Whatever bytes arrive on a DataNode's port, the block-transfer decoders either return a value inside the
/// limits or throw <see cref="DataTransferProtocolException"/>, and never allocate more than the limits allow.
/// </summary>
public sealed class FrameDecoderProperties
{
    /// <summary>Small limits make "allocates beyond the limit" observable with inputs that claim up to 4 GiB.</summary>
    private static readonly TransferLimits Tight = new() { MaxHeaderBytes = 256, MaxMessageBytes = 256, MaxPacketDataBytes = 1 << 20 };

    /// <summary>What a decode may allocate beyond the declared limit: the preamble, the state machine, the parsed message.</summary>
    private const long AllocationSlack = 16 * 1024;

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 2000)]
    public void Op_preamble_parser_returns_a_bounded_header_length_or_the_protocol_error(WireBytes input)
    {
        bool parsed;
        Opcode opcode;
        int headerLength;
        try
        {
            parsed = TransferFraming.TryParseOpPreamble(input.Bytes, Tight, out opcode, out headerLength);
        }
        catch (DataTransferProtocolException)
        {
            return;
        }
        if (!parsed)
        {
            Assert.True(input.Bytes.Length < TransferFraming.OpPreambleSize, $"refused a complete preamble without an error: {input}");
            return;
        }
        Assert.True(Enum.IsDefined(opcode), $"unknown opcode {opcode} accepted");
        Assert.InRange(headerLength, 0, Tight.MaxHeaderBytes);
    }

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 2000)]
    public void Reading_an_op_from_a_stream_yields_the_sent_header_or_the_protocol_error_with_bounded_memory(WireBytes input)
    {
        using var stream = new MemoryStream(input.Bytes, writable: false);
        var before = GC.GetAllocatedBytesForCurrentThread();
        (Opcode Opcode, byte[] Header)? op;
        try
        {
            op = DecodeSynchronously(TransferFraming.ReadOpAsync(stream, Tight, CancellationToken.None));
        }
        catch (DataTransferProtocolException)
        {
            AssertAllocatedAtMost(before, Tight.MaxHeaderBytes, input);
            return;
        }
        AssertAllocatedAtMost(before, Tight.MaxHeaderBytes, input);
        if (op is not { } decoded)
        {
            Assert.Empty(input.Bytes);
            return;
        }
        Assert.InRange(decoded.Header.Length, 0, Tight.MaxHeaderBytes);
        Assert.Equal(input.Bytes.AsSpan(TransferFraming.OpPreambleSize, decoded.Header.Length).ToArray(), decoded.Header);
    }

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 2000)]
    public void Reading_a_length_prefixed_message_yields_a_message_or_the_protocol_error_with_bounded_memory(WireBytes input)
    {
        AssertMessageDecodes(input, PipelineAck.Parser);
        AssertMessageDecodes(input, OpResponse.Parser);
    }

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 2000)]
    public void Op_headers_parse_into_a_message_or_the_protocol_error(WireBytes input)
    {
        foreach (var parse in new Action[]
                 {
                     () => TransferFraming.ParseOrThrow(WriteBlockHeader.Parser, input.Bytes),
                     () => TransferFraming.ParseOrThrow(ReadBlockHeader.Parser, input.Bytes),
                 })
        {
            try
            {
                parse();
            }
            catch (DataTransferProtocolException)
            {
            }
        }
    }

    [Property(Arbitrary = [typeof(HostileInputGenerators)], MaxTest = 2000)]
    public void Packet_header_parser_accepts_only_headers_inside_the_limits_and_they_round_trip(WireBytes input)
    {
        PacketHeader header;
        bool parsed;
        try
        {
            parsed = PacketHeader.TryParse(input.Bytes, Tight, out header);
        }
        catch (DataTransferProtocolException)
        {
            return;
        }
        if (!parsed)
        {
            Assert.True(input.Bytes.Length < PacketHeader.Size, $"refused a complete packet header without an error: {input}");
            return;
        }
        Assert.True(header.SeqNo >= 0 && header.OffsetInBlock >= 0, $"negative sequence number or offset accepted: {header}");
        Assert.InRange(header.DataLength, 0, Tight.MaxPacketDataBytes);
        Assert.False(header.IsLast && header.DataLength != 0, "a last packet with data was accepted");
        var written = new byte[PacketHeader.Size];
        header.Write(written);
        Assert.Equal(input.Bytes.AsSpan(0, PacketHeader.Size).ToArray(), written);
    }

    private static void AssertMessageDecodes<T>(WireBytes input, MessageParser<T> parser) where T : IMessage<T>
    {
        using var stream = new MemoryStream(input.Bytes, writable: false);
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var message = DecodeSynchronously(TransferFraming.ReadMessageAsync(stream, parser, Tight, CancellationToken.None));
            Assert.InRange(message.CalculateSize(), 0, Tight.MaxMessageBytes);
        }
        catch (DataTransferProtocolException)
        {
        }
        AssertAllocatedAtMost(before, Tight.MaxMessageBytes, input);
    }

    /// <summary>A MemoryStream completes every read at once, so the decode runs on this thread and its allocations are countable.</summary>
    private static T DecodeSynchronously<T>(ValueTask<T> decode)
    {
        Assert.True(decode.IsCompleted, "a decode over a MemoryStream should complete synchronously");
        return decode.GetAwaiter().GetResult();
    }

    private static void AssertAllocatedAtMost(long before, int limit, WireBytes input)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= limit + AllocationSlack, $"decoding {input} allocated {allocated} bytes (limit {limit} + {AllocationSlack} slack)");
    }
}
