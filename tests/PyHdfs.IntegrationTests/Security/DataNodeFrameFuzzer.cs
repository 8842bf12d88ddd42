using System.Buffers.Binary;
using Google.Protobuf;
using PyHdfs.Protocol;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.IntegrationTests.Security;

/// <summary>
/// Builds hostile block-transfer input, one case per index, reproducible from the seed: random bytes,
/// a valid preamble with a random opcode, a valid op with a lying header length, a valid write header
/// followed by packets of which one is broken, and mutations of a recorded valid read request.
/// No write case ever sends a valid last packet, so none of them may ever become a finalized replica.
/// </summary>
internal sealed class DataNodeFrameFuzzer(int seed, byte[] recordedRead, long firstFreshBlockId)
{
    public const int BytesPerChecksum = 512;

    public enum Kind { RandomBytes, RandomOpcode, LyingHeaderLength, BrokenWrite, MutatedRead }

    public readonly record struct Case(int Index, Kind Kind, byte[] Bytes, long? WriteBlockId);

    public Case Build(int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var kind = (Kind)(index % 5);
        return kind switch
        {
            Kind.RandomBytes => new Case(index, kind, RandomBytes(random), null),
            Kind.RandomOpcode => new Case(index, kind, RandomOpcode(random), null),
            Kind.LyingHeaderLength => new Case(index, kind, LyingHeaderLength(random), null),
            Kind.BrokenWrite => new Case(index, kind, BrokenWrite(random, firstFreshBlockId + index), firstFreshBlockId + index),
            _ => new Case(index, kind, MutatedRead(random), null),
        };
    }

    /// <summary>A write the DataNode must wait on: a valid header and half a packet, then nothing.</summary>
    public static byte[] StalledWrite(long blockId)
    {
        using var stream = new MemoryStream();
        stream.Write(Op(Opcode.WriteBlock, WriteHeader(blockId)));
        var packet = Packet(new Random(1), seqNo: 0, offset: 0, chunks: 4);
        stream.Write(packet, 0, packet.Length / 2);
        return stream.ToArray();
    }

    public static byte[] Op(Opcode opcode, IMessage header)
    {
        var body = header.ToByteArray();
        var frame = new byte[TransferFraming.OpPreambleSize + body.Length];
        Preamble(frame, (byte)opcode, (uint)body.Length);
        body.CopyTo(frame, TransferFraming.OpPreambleSize);
        return frame;
    }

    private static void Preamble(Span<byte> destination, byte opcode, uint headerLength)
    {
        "PYDT"u8.CopyTo(destination);
        destination[4] = TransferFraming.Version;
        destination[5] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], headerLength);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 8192)];
        random.NextBytes(bytes);
        if (bytes.Length >= 4 && random.Next(3) == 0)
        {
            "PYDT"u8.CopyTo(bytes);
        }
        return bytes;
    }

    private static byte[] RandomOpcode(Random random)
    {
        var bytes = new byte[TransferFraming.OpPreambleSize + random.Next(0, 512)];
        random.NextBytes(bytes);
        "PYDT"u8.CopyTo(bytes);
        bytes[4] = random.Next(4) == 0 ? (byte)random.Next(256) : TransferFraming.Version;
        return bytes;
    }

    private static byte[] LyingHeaderLength(Random random)
    {
        uint[] lengths = [0, 1, (uint)random.Next(2, 200), 64 * 1024, 64 * 1024 + 1, int.MaxValue, 0x80000000, uint.MaxValue];
        var claimed = lengths[random.Next(lengths.Length)];
        var sent = (int)Math.Min(claimed, (uint)random.Next(0, 300));
        var bytes = new byte[TransferFraming.OpPreambleSize + sent];
        random.NextBytes(bytes);
        Preamble(bytes, (byte)(random.Next(2) == 0 ? Opcode.WriteBlock : Opcode.ReadBlock), claimed);
        return bytes;
    }

    private static WriteBlockHeader WriteHeader(long blockId) => new()
    {
        Block = new BlockRef { BlockId = blockId, GenerationStamp = 1000 },
        BytesPerChecksum = BytesPerChecksum,
        ClientName = "fuzz",
        Stage = WriteStage.Create,
    };

    private static byte[] BrokenWrite(Random random, long blockId)
    {
        using var stream = new MemoryStream();
        stream.Write(Op(Opcode.WriteBlock, WriteHeader(blockId)));
        var valid = random.Next(0, 4);
        var mutation = random.Next(0, 11);
        if (mutation == 5 && valid == 0)
        {
            valid = 1; // a huge seqno is only a gap after a first packet
        }
        long offset = 0;
        for (var seqNo = 0; seqNo < valid; seqNo++)
        {
            var chunks = random.Next(1, 9);
            stream.Write(Packet(random, seqNo, offset, chunks));
            offset += chunks * BytesPerChecksum;
        }
        var broken = Packet(random, valid, offset, random.Next(1, 9));
        var view = broken.AsSpan();
        switch (mutation)
        {
            case 0: // a wrong checksum
                view[^1] ^= 0x5A;
                break;
            case 1: // a data length out of limits
                BinaryPrimitives.WriteInt32BigEndian(view[16..], random.Next(2) == 0 ? -random.Next(1, int.MaxValue) : 16 * 1024 * 1024 + random.Next(1, 1000));
                break;
            case 2: // a payload cut short
                broken = broken[..random.Next(PacketHeader.Size, broken.Length)];
                break;
            case 3: // a negative offset
                BinaryPrimitives.WriteInt64BigEndian(view[8..], -random.NextInt64(1, long.MaxValue));
                break;
            case 4: // an offset that skips data
                BinaryPrimitives.WriteInt64BigEndian(view[8..], offset + BytesPerChecksum);
                break;
            case 5: // a huge seqno
                BinaryPrimitives.WriteInt64BigEndian(view, long.MaxValue - random.Next(0, 10));
                break;
            case 6: // unknown flags or non-zero reserved bytes
                view[20 + random.Next(4)] |= 0x80;
                break;
            case 7: // a last packet carrying data
                view[20] = (byte)PacketFlags.LastPacketInBlock;
                break;
            case 8: // a header cut short
                broken = broken[..random.Next(0, PacketHeader.Size)];
                break;
            case 9: // random bytes where a packet belongs
                random.NextBytes(broken);
                break;
            default: // a data length that promises more than the checksums cover, then the stream ends
                BinaryPrimitives.WriteInt32BigEndian(view[16..], random.Next(BytesPerChecksum * 9, 16 * 1024 * 1024));
                break;
        }
        stream.Write(broken);
        return stream.ToArray();
    }

    private static byte[] Packet(Random random, long seqNo, long offset, int chunks)
    {
        var dataLength = chunks * BytesPerChecksum;
        var checksumBytes = chunks * ChunkChecksums.ChecksumSize;
        var packet = new byte[PacketHeader.Size + checksumBytes + dataLength];
        new PacketHeader(seqNo, offset, dataLength, PacketFlags.None).Write(packet);
        var data = packet.AsSpan(PacketHeader.Size + checksumBytes);
        random.NextBytes(data);
        ChunkChecksums.Compute(data, BytesPerChecksum, packet.AsSpan(PacketHeader.Size, checksumBytes));
        return packet;
    }

    private byte[] MutatedRead(Random random)
    {
        var bytes = (byte[])recordedRead.Clone();
        switch (random.Next(0, 6))
        {
            case 0: // flipped bits anywhere
                for (var i = random.Next(1, 9); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }
                return bytes;
            case 1: // cut anywhere
                return bytes[..random.Next(0, bytes.Length)];
            case 2: // random bytes inserted
                var at = random.Next(0, bytes.Length);
                var junk = new byte[random.Next(1, 64)];
                random.NextBytes(junk);
                return [.. bytes[..at], .. junk, .. bytes[at..]];
            case 3: // a lying header length
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), (uint)random.Next(0, 2 * (bytes.Length - TransferFraming.OpPreambleSize) + 1));
                return bytes;
            case 4: // the same request twice on one connection
                return [.. bytes, .. bytes];
            default: // extreme field values
                var header = ReadBlockHeader.Parser.ParseFrom(bytes.AsSpan(TransferFraming.OpPreambleSize));
                long[] extremes = [0, -1, 1, long.MinValue, long.MaxValue, int.MaxValue, random.NextInt64()];
                switch (random.Next(0, 4))
                {
                    case 0: header.Offset = extremes[random.Next(extremes.Length)]; break;
                    case 1: header.Length = extremes[random.Next(extremes.Length)]; break;
                    case 2: header.Block.GenerationStamp = extremes[random.Next(extremes.Length)]; break;
                    default: header.Block.BlockId = extremes[random.Next(extremes.Length)]; break;
                }
                return Op(Opcode.ReadBlock, header);
        }
    }
}
