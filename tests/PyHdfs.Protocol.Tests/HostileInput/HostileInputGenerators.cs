using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Protocol.Tests.HostileInput;

/// <summary>Bytes a hostile or broken peer could send: mostly near-valid frames, where parser bugs hide, plus pure noise.</summary>
public sealed record WireBytes(byte[] Bytes)
{
    public override string ToString() => $"{Bytes.Length} bytes: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 48)))}";
}

/// <summary>A string a user or a peer could pass as a path: built from the characters that matter to the parser.</summary>
public sealed record PathText(string Value)
{
    public override string ToString() => $"\"{Value.Replace("\0", "\\0", StringComparison.Ordinal)}\" ({Value.Length} chars)";
}

/// <summary>FsCheck generators for <see cref="WireBytes"/> and <see cref="PathText"/>.</summary>
public static class HostileInputGenerators
{
    public static Arbitrary<WireBytes> Wire() => Gen.OneOf(Noise(), NearValidOp(), NearValidMessage(), NearValidPacket())
        .Select(bytes => new WireBytes(bytes))
        .ToArbitrary();

    public static Arbitrary<PathText> Path() => Gen.OneOf(
            PathShaped(),
            ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
            Gen.Choose(4000, 4200).Select(n => "/" + new string('a', n)),
            Gen.Choose(250, 300).Select(depth => string.Concat(Enumerable.Repeat("/d", depth))))
        .Select(s => new PathText(s))
        .ToArbitrary();

    private static Gen<byte[]> Noise() => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>());

    /// <summary>"PYDT", a version, an opcode and a declared length that are each usually right, then a body of any size.</summary>
    private static Gen<byte[]> NearValidOp() =>
        from version in Gen.Frequency((4, Gen.Constant(TransferFraming.Version)), (1, ArbMap.Default.GeneratorFor<byte>()))
        from opcode in Gen.Frequency((4, Gen.Elements((byte)Opcode.WriteBlock, (byte)Opcode.ReadBlock)), (1, ArbMap.Default.GeneratorFor<byte>()))
        from declared in DeclaredLength()
        from body in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
        from cut in Gen.Choose(0, 100)
        select Truncate(Concat("PYDT"u8.ToArray(), [version, opcode], BigEndian(declared), body), cut);

    private static Gen<byte[]> NearValidMessage() =>
        from declared in DeclaredLength()
        from body in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())
        select Concat(BigEndian(declared), body);

    private static Gen<byte[]> NearValidPacket() =>
        from seqNo in Gen.Frequency((4, Gen.Choose(0, 1000).Select(v => (long)v)), (1, ArbMap.Default.GeneratorFor<long>()))
        from offset in Gen.Frequency((4, Gen.Choose(0, 1 << 20).Select(v => (long)v)), (1, ArbMap.Default.GeneratorFor<long>()))
        from length in Gen.Frequency((4, Gen.Choose(0, 1 << 18)), (1, ArbMap.Default.GeneratorFor<int>()))
        from flags in Gen.Frequency((4, Gen.Elements((byte)0, (byte)1, (byte)2, (byte)3)), (1, ArbMap.Default.GeneratorFor<byte>()))
        from reserved in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 255)))
        select Packet(seqNo, offset, length, flags, (byte)reserved);

    /// <summary>Mostly small, sometimes exactly at or just past a limit, sometimes absurd (up to 4 GiB).</summary>
    private static Gen<uint> DeclaredLength() => Gen.Frequency(
        (4, Gen.Choose(0, 300).Select(v => (uint)v)),
        (2, Gen.Elements(255u, 256u, 257u, 64u * 1024, 64u * 1024 + 1, 16u << 20)),
        (1, ArbMap.Default.GeneratorFor<uint>()));

    private static Gen<string> PathShaped()
    {
        var pieces = Gen.Elements("/", "/", "/", "a", "bc", ".", "..", ":", "\0", "\n", "\u00e9", "\u200b", " ", "//", "\ud800", "\ud83d\ude00", "\udc00", "x/../y");
        return Gen.ListOf(pieces).Select(string.Concat);
    }

    private static byte[] Packet(long seqNo, long offset, int length, byte flags, byte reserved)
    {
        var header = new byte[PacketHeader.Size];
        BinaryPrimitives.WriteInt64BigEndian(header, seqNo);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(8), offset);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(16), length);
        header[20] = flags;
        header[22] = reserved;
        return header;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Cuts the frame short in one case out of five, anywhere.</summary>
    private static byte[] Truncate(byte[] bytes, int cut) =>
        cut < 20 && bytes.Length > 0 ? bytes[..(bytes.Length * cut / 20)] : bytes;
}
