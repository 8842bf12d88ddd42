using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace PyHdfs.Protocol.DataTransfer;

/// <summary>
/// Framing of the block-transfer protocol. An operation starts with
/// <c>"PYDT" | version (1 byte) | opcode (1 byte) | header length (uint32 BE) | header (protobuf)</c>;
/// responses and acks are <c>length (uint32 BE) | protobuf</c>. Packets are in <see cref="PacketHeader"/>.
/// </summary>
public static class TransferFraming
{
    public const byte Version = 1;
    public const int OpPreambleSize = 10;
    private static ReadOnlySpan<byte> Magic => "PYDT"u8;

    public static async ValueTask WriteOpAsync(Stream stream, Opcode opcode, IMessage header, CancellationToken cancellationToken)
    {
        var size = header.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(OpPreambleSize + size);
        try
        {
            Magic.CopyTo(buffer);
            buffer[4] = Version;
            buffer[5] = (byte)opcode;
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(6, 4), (uint)size);
            header.WriteTo(buffer.AsSpan(OpPreambleSize, size));
            await stream.WriteAsync(buffer.AsMemory(0, OpPreambleSize + size), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses the op preamble. Returns false when fewer than <see cref="OpPreambleSize"/> bytes are given; throws on bad input.</summary>
    public static bool TryParseOpPreamble(ReadOnlySpan<byte> input, TransferLimits limits, out Opcode opcode, out int headerLength)
    {
        opcode = default;
        headerLength = 0;
        if (input.Length < OpPreambleSize)
        {
            return false;
        }
        if (!input[..4].SequenceEqual(Magic))
        {
            throw new DataTransferProtocolException("not a PyHDFS block-transfer connection (bad magic)");
        }
        if (input[4] != Version)
        {
            throw new DataTransferProtocolException($"unsupported block-transfer protocol version {input[4]} (this node speaks {Version})");
        }
        opcode = (Opcode)input[5];
        if (!Enum.IsDefined(opcode))
        {
            throw new DataTransferProtocolException($"unknown opcode 0x{input[5]:X2}");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(input.Slice(6, 4));
        if (length > (uint)limits.MaxHeaderBytes)
        {
            throw new DataTransferProtocolException($"op header of {length} bytes exceeds the limit of {limits.MaxHeaderBytes}");
        }
        headerLength = (int)length;
        return true;
    }

    /// <summary>Reads an op preamble and header. Returns null on a clean end of stream before the first byte.</summary>
    public static ValueTask<(Opcode Opcode, byte[] Header)?> ReadOpAsync(Stream stream, TransferLimits limits, CancellationToken cancellationToken) =>
        ReadOpAsync(stream, ReadOnlyMemory<byte>.Empty, limits, cancellationToken);

    /// <summary>
    /// Reads an op preamble and header whose first bytes (<paramref name="alreadyRead"/>, at most the
    /// preamble) were already taken from the stream to tell our protocol from Hadoop's.
    /// </summary>
    public static async ValueTask<(Opcode Opcode, byte[] Header)?> ReadOpAsync(Stream stream, ReadOnlyMemory<byte> alreadyRead, TransferLimits limits, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(alreadyRead.Length, OpPreambleSize);
        var preamble = new byte[OpPreambleSize];
        alreadyRead.CopyTo(preamble);
        var rest = await stream.ReadAtLeastAsync(preamble.AsMemory(alreadyRead.Length), OpPreambleSize - alreadyRead.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var first = alreadyRead.Length + rest;
        if (first == 0)
        {
            return null;
        }
        if (first < OpPreambleSize)
        {
            throw new DataTransferProtocolException($"connection closed inside the op preamble after {first} bytes");
        }
        TryParseOpPreamble(preamble, limits, out var opcode, out var headerLength);
        var header = new byte[headerLength];
        await ReadExactlyOrThrowAsync(stream, header, "op header", cancellationToken).ConfigureAwait(false);
        return (opcode, header);
    }

    public static async ValueTask WriteMessageAsync(Stream stream, IMessage message, CancellationToken cancellationToken)
    {
        var size = message.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(4 + size);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(0, 4), (uint)size);
            message.WriteTo(buffer.AsSpan(4, size));
            await stream.WriteAsync(buffer.AsMemory(0, 4 + size), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async ValueTask<T> ReadMessageAsync<T>(Stream stream, MessageParser<T> parser, TransferLimits limits, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var lengthBytes = new byte[4];
        await ReadExactlyOrThrowAsync(stream, lengthBytes, typeof(T).Name + " length", cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        if (length > (uint)limits.MaxMessageBytes)
        {
            throw new DataTransferProtocolException($"{typeof(T).Name} of {length} bytes exceeds the limit of {limits.MaxMessageBytes}");
        }
        var body = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await ReadExactlyOrThrowAsync(stream, body.AsMemory(0, (int)length), typeof(T).Name, cancellationToken).ConfigureAwait(false);
            return ParseOrThrow(parser, body.AsSpan(0, (int)length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    public static T ParseOrThrow<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataTransferProtocolException($"malformed {typeof(T).Name}: {e.Message}");
        }
    }

    public static async ValueTask ReadExactlyOrThrowAsync(Stream stream, Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            throw new DataTransferProtocolException($"connection closed inside the {what} ({read} of {buffer.Length} bytes)");
        }
    }
}
