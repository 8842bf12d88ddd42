using PyHdfs.Client.Write;

namespace PyHdfs.Client.Tests;

public sealed class PacketPlannerTests
{
    private const int Chunk = 16 * 1024;
    private const int Packet = 256 * 1024;
    private const long Block = 1L << 20;

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData((long)Chunk)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block + 1)]
    [InlineData((5 * Block) + 77)]
    public void Packets_cover_the_file_without_crossing_blocks(long fileLength)
    {
        var packets = PacketPlanner.Plan(fileLength, Block, Packet).ToArray();

        Assert.Equal(fileLength, packets.Sum(p => (long)p.Length));
        Assert.Equal((int)((fileLength + Block - 1) / Block), packets.Select(p => p.BlockIndex).Distinct().Count());
        foreach (var blockPackets in packets.GroupBy(p => p.BlockIndex))
        {
            var list = blockPackets.ToArray();
            long expectedOffset = 0;
            for (var i = 0; i < list.Length; i++)
            {
                Assert.Equal(expectedOffset, list[i].OffsetInBlock);
                Assert.Equal(0, list[i].OffsetInBlock % Chunk);
                Assert.InRange(list[i].Length, 1, Packet);
                Assert.True(list[i].OffsetInBlock + list[i].Length <= Block);
                if (i < list.Length - 1)
                {
                    Assert.Equal(0, list[i].Length % Chunk);
                }
                expectedOffset += list[i].Length;
            }
        }
    }

    [Fact]
    public void Exact_block_gives_full_packets_only()
    {
        var packets = PacketPlanner.Plan(Block, Block, Packet).ToArray();

        Assert.Equal(4, packets.Length);
        Assert.All(packets, p => Assert.Equal(Packet, p.Length));
    }

    [Fact]
    public void Block_plus_one_starts_a_second_block_with_one_byte()
    {
        var last = PacketPlanner.Plan(Block + 1, Block, Packet).Last();

        Assert.Equal((1, 0L, 1), last);
    }

    [Fact]
    public void Capacity_stops_at_the_block_boundary()
    {
        Assert.Equal(Packet, PacketPlanner.Capacity(Block, 0, Packet));
        Assert.Equal(100, PacketPlanner.Capacity(Block, Block - 100, Packet));
        Assert.Equal(100_000, PacketPlanner.Capacity(100_000, 0, Packet));
        Assert.Throws<ArgumentOutOfRangeException>(() => PacketPlanner.Capacity(Block, Block, Packet));
    }

    [Fact]
    public void Sealed_packet_has_header_checksums_then_data()
    {
        using var packet = new PacketBuffer(Packet, Chunk);
        var data = new byte[Chunk + 10];
        new Random(1).NextBytes(data);
        Assert.Equal(data.Length, packet.Append(data));
        packet.Seal(7, 3 * Chunk, Protocol.DataTransfer.PacketFlags.None);

        var wire = packet.Wire.ToArray();
        Assert.True(Protocol.DataTransfer.PacketHeader.TryParse(wire, Protocol.DataTransfer.TransferLimits.Default, out var header));
        Assert.Equal((7L, 3L * Chunk, data.Length), (header.SeqNo, header.OffsetInBlock, header.DataLength));
        Assert.Equal(24 + 8 + data.Length, wire.Length);
        Assert.Equal(-1, Protocol.DataTransfer.ChunkChecksums.FindMismatch(wire.AsSpan(32), Chunk, wire.AsSpan(24, 8)));
        Assert.Equal(data, wire[32..]);
    }

    [Fact]
    public void Append_stops_when_full()
    {
        using var packet = new PacketBuffer(Chunk, Chunk);

        Assert.Equal(Chunk, packet.Append(new byte[Chunk + 5]));
        Assert.Equal(0, packet.Free);
        Assert.Equal(0, packet.Append(new byte[1]));
    }
}
