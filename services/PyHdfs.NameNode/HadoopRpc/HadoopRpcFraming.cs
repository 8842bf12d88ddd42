using System.Buffers.Binary;

namespace PyHdfs.NameNode.HadoopRpc;

/// <summary>
/// Hadoop IPC version 9 framing (reference §1.2–§1.4): a 7-byte preamble, then packets of a
/// 4-byte big-endian length followed by varint-length-prefixed protobuf messages.
/// Parsers are Try* over spans: false means "need more bytes", bad input throws
/// <see cref="HadoopRpcProtocolException"/>.
/// </summary>
public static class HadoopRpcFraming
{
    public const int PreambleLength = 7;
    public const byte IpcVersion = 9;
    public const byte ServiceClassDefault = 0;
    public const byte AuthProtocolNone = 0;

    /// <summary>Default bound on one request packet; a frame claiming more is refused.</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024 * 1024;

    private static ReadOnlySpan<byte> Magic => "hrpc"u8;

    /// <summary>Checks "hrpc", version 9, service class 0, auth protocol 0 (simple, no SASL).</summary>
    public static bool TryCheckPreamble(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < PreambleLength)
        {
            return false;
        }
        if (!buffer[..4].SequenceEqual(Magic))
        {
            throw new HadoopRpcProtocolException("not a Hadoop IPC connection: the preamble does not start with \"hrpc\"");
        }
        if (buffer[4] != IpcVersion)
        {
            throw new HadoopRpcProtocolException($"unsupported Hadoop IPC version {buffer[4]}: this NameNode speaks version {IpcVersion}");
        }
        if (buffer[6] != AuthProtocolNone)
        {
            throw new HadoopRpcProtocolException($"unsupported Hadoop IPC auth protocol {buffer[6]}: only simple authentication (0, no SASL) is supported");
        }
        return true;
    }

    /// <summary>Reads a packet's 4-byte length and checks it against <paramref name="maxFrameBytes"/>.</summary>
    public static bool TryReadFrameLength(ReadOnlySpan<byte> buffer, int maxFrameBytes, out int frameBytes)
    {
        frameBytes = 0;
        if (buffer.Length < 4)
        {
            return false;
        }
        var claimed = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if (claimed > (uint)maxFrameBytes)
        {
            throw new HadoopRpcProtocolException($"Hadoop IPC frame of {claimed} bytes exceeds the limit of {maxFrameBytes} bytes");
        }
        frameBytes = (int)claimed;
        return true;
    }

    /// <summary>Splits one delimited message (varint length + body) off the front of a complete frame.</summary>
    public static ReadOnlySpan<byte> ReadDelimited(ref ReadOnlySpan<byte> frame)
    {
        var length = ReadVarint32(ref frame);
        if (length > (uint)frame.Length)
        {
            throw new HadoopRpcProtocolException($"Hadoop IPC message claims {length} bytes but only {frame.Length} remain in the frame");
        }
        var body = frame[..(int)length];
        frame = frame[(int)length..];
        return body;
    }

    public static uint ReadVarint32(ref ReadOnlySpan<byte> buffer)
    {
        uint value = 0;
        for (var i = 0; i < 5; i++)
        {
            if (i >= buffer.Length)
            {
                throw new HadoopRpcProtocolException("Hadoop IPC frame ends inside a varint");
            }
            var b = buffer[i];
            value |= (uint)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                buffer = buffer[(i + 1)..];
                return value;
            }
        }
        throw new HadoopRpcProtocolException("Hadoop IPC varint is longer than 5 bytes");
    }

    public static int WriteVarint32(Span<byte> destination, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int VarintSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static uint ZigZagEncode(int value) => (uint)((value << 1) ^ (value >> 31));

    public static int ZigZagDecode(uint value) => (int)(value >> 1) ^ -(int)(value & 1);
}
