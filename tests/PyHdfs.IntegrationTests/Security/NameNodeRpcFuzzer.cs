using System.Buffers.Binary;
using System.Collections;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using PyHdfs.Protocol.NameNode;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// Builds hostile NameNode input, reproducible from the seed: raw bytes for its HTTP/2 port, and request
/// payloads for every ClientProtocol method, either random bytes or the method's request message with
/// random field values (extreme numbers, long, deep or odd paths, NUL, unpaired surrogates, invalid UTF-8).
/// Every path that could be valid lies under <paramref name="sandbox"/>, so nothing outside it can change.
/// </summary>
internal sealed class NameNodeRpcFuzzer(int seed, string sandbox)
{
    private static readonly Marshaller<byte[]> Identity = Marshallers.Create(b => b, b => b);

    public static IReadOnlyList<Method<byte[], byte[]>> ClientProtocolMethods { get; } =
        [.. ClientProtocol.Descriptor.Methods.Select(m => new Method<byte[], byte[]>(MethodType.Unary, ClientProtocol.Descriptor.FullName, m.Name, Identity, Identity))];

    private static readonly MessageDescriptor[] RequestTypes = [.. ClientProtocol.Descriptor.Methods.Select(m => m.InputType)];

    private static readonly byte[] Http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Whether the payload decodes as the method's request message at all.</summary>
    public static bool Decodes(int method, byte[] payload)
    {
        try
        {
            RequestTypes[method].Parser.ParseFrom(payload);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>The payload of call <paramref name="index"/> to method <paramref name="method"/>.</summary>
    public byte[] Request(int method, int index)
    {
        var random = new Random(unchecked((seed * 7_919) + (method * 100_003) + index));
        switch (index % 3)
        {
            case 0:
                var bytes = new byte[random.Next(0, random.Next(8) == 0 ? 64 * 1024 : 256)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                try
                {
                    return RandomMessage(random, RequestTypes[method], depth: 0).ToByteArray();
                }
                catch (ArgumentException)
                {
                    return WithInvalidUtf8(random, RequestTypes[method].Parser.ParseFrom(ByteString.Empty)); // an unpaired surrogate the encoder refused
                }
            default:
                return WithInvalidUtf8(random, RandomMessage(random, RequestTypes[method], depth: 0));
        }
    }

    /// <summary>Raw bytes for the NameNode's port: random bytes, or the HTTP/2 preface followed by random frames.</summary>
    public byte[] RawConnection(int index)
    {
        var random = new Random(unchecked((seed * 104_729) + index));
        using var stream = new MemoryStream();
        if (index % 2 == 1)
        {
            stream.Write(Http2Preface);
        }
        Span<byte> header = stackalloc byte[9];
        for (var frames = random.Next(1, 12); frames > 0; frames--)
        {
            var payload = new byte[random.Next(0, 600)];
            random.NextBytes(payload);
            // Length (24 bits, sometimes a lie), type (mostly known ones), flags, stream id.
            var length = random.Next(4) == 0 ? random.Next(0, 1 << 24) : payload.Length;
            header[0] = (byte)(length >> 16);
            header[1] = (byte)(length >> 8);
            header[2] = (byte)length;
            header[3] = (byte)random.Next(0, 12);
            header[4] = (byte)random.Next(256);
            BinaryPrimitives.WriteInt32BigEndian(header[5..], random.Next(0, 16) | (random.Next(8) == 0 ? int.MinValue : 0));
            stream.Write(header);
            stream.Write(payload);
        }
        return stream.ToArray();
    }

    private IMessage RandomMessage(Random random, MessageDescriptor type, int depth)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (field.IsMap || random.Next(4) == 0)
            {
                continue;
            }
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var n = random.Next(0, random.Next(10) == 0 ? 2000 : 6); n > 0; n--)
                {
                    if (RandomValue(random, field, depth) is { } value)
                    {
                        list.Add(value);
                    }
                }
            }
            else if (RandomValue(random, field, depth) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private object? RandomValue(Random random, FieldDescriptor field, int depth) => field.FieldType switch
    {
        FieldType.String => RandomString(random),
        FieldType.Bytes => ByteString.CopyFrom(RandomBytes(random, 300)),
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => RandomInt(random),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => RandomLong(random),
        FieldType.UInt32 or FieldType.Fixed32 => unchecked((uint)RandomInt(random)),
        FieldType.UInt64 or FieldType.Fixed64 => unchecked((ulong)RandomLong(random)),
        FieldType.Double => random.Next(3) switch { 0 => double.NaN, 1 => double.NegativeInfinity, _ => random.NextDouble() * 1e300 },
        FieldType.Float => random.Next(2) == 0 ? float.NaN : float.MaxValue,
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, RandomInt(random)),
        FieldType.Message when depth < 3 => RandomMessage(random, field.MessageType, depth + 1),
        _ => null,
    };

    private static int RandomInt(Random random)
    {
        int[] extremes = [0, 1, -1, int.MinValue, int.MaxValue, int.MaxValue - 1, 1 << 20];
        return random.Next(3) == 0 ? random.Next(int.MinValue, int.MaxValue) : extremes[random.Next(extremes.Length)];
    }

    private static long RandomLong(Random random)
    {
        long[] extremes = [0, 1, -1, long.MinValue, long.MaxValue, int.MaxValue, -(1L << 40)];
        return random.Next(3) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : extremes[random.Next(extremes.Length)];
    }

    private static byte[] RandomBytes(Random random, int max)
    {
        var bytes = new byte[random.Next(0, max)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Strings that are invalid paths, or paths under the sandbox with odd names, lengths and depths.</summary>
    private string RandomString(Random random)
    {
        string[] odd = ["", ".", "..", "//", "/./", "relative", "a:b", "\0", "\uD800", "\uDFFF", "\u202E", "x\u0001y", "🙂", "\t"];
        return random.Next(0, 9) switch
        {
            0 => odd[random.Next(odd.Length)],
            1 => $"{sandbox}/{odd[random.Next(odd.Length)]}{odd[random.Next(odd.Length)]}",
            2 => $"{sandbox}/{new string('n', random.Next(200, 5000))}",
            3 => sandbox + string.Concat(Enumerable.Repeat("/d", random.Next(200, 400))),
            4 => $"{sandbox}/{random.Next(100)}/../{random.Next(100)}",
            5 => $"{sandbox}/f{random.Next(20)}",
            6 => $"{sandbox}/dir{random.Next(5)}/",
            7 => "x" + RandomUnicode(random),
            _ => $"{sandbox}/{RandomUnicode(random)}",
        };
    }

    private static string RandomUnicode(Random random)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(1, 300); i > 0; i--)
        {
            builder.Append((char)random.Next(0, 0x10000));
        }
        return builder.ToString();
    }

    /// <summary>The message with a string field (or field 1) appended again as bytes that are not UTF-8 (last one wins).</summary>
    private static byte[] WithInvalidUtf8(Random random, IMessage message)
    {
        var fields = message.Descriptor.Fields.InDeclarationOrder();
        var stringField = fields.FirstOrDefault(f => f.FieldType == FieldType.String)?.FieldNumber ?? 1;
        using var stream = new MemoryStream();
        try
        {
            message.WriteTo(stream);
        }
        catch (ArgumentException)
        {
            stream.SetLength(0); // the encoder refused an unpaired surrogate: the raw field alone
        }
        var output = new CodedOutputStream(stream, leaveOpen: true);
        output.WriteTag(stringField, WireFormat.WireType.LengthDelimited);
        byte[][] invalid = [[0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [(byte)'/', 0x80, (byte)'a'], [0xF4, 0x90, 0x80, 0x80]];
        output.WriteBytes(ByteString.CopyFrom(invalid[random.Next(invalid.Length)]));
        output.Flush();
        return stream.ToArray();
    }
}
