using System.Buffers.Binary;
using System.IO.Hashing;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.Protocol.Tests;

public sealed class ChunkChecksumsTests
{
    private static byte[] Data(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    [Fact]
    public void Computes_one_big_endian_crc32_per_chunk_with_a_short_last_chunk()
    {
        var data = Data(1300);
        var checksums = new byte[12];

        ChunkChecksums.Compute(data, 512, checksums);

        Assert.Equal(Crc32.HashToUInt32(data.AsSpan(0, 512)), BinaryPrimitives.ReadUInt32BigEndian(checksums));
        Assert.Equal(Crc32.HashToUInt32(data.AsSpan(512, 512)), BinaryPrimitives.ReadUInt32BigEndian(checksums.AsSpan(4)));
        Assert.Equal(Crc32.HashToUInt32(data.AsSpan(1024)), BinaryPrimitives.ReadUInt32BigEndian(checksums.AsSpan(8)));
        Assert.Equal(-1, ChunkChecksums.FindMismatch(data, 512, checksums));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(511, 0)]
    [InlineData(512, 1)]
    [InlineData(1299, 2)]
    public void Mismatch_names_the_corrupt_chunk(int corruptByte, int expectedChunk)
    {
        var data = Data(1300);
        var checksums = new byte[12];
        ChunkChecksums.Compute(data, 512, checksums);
        data[corruptByte] ^= 0x01;

        Assert.Equal(expectedChunk, ChunkChecksums.FindMismatch(data, 512, checksums));
    }

    [Fact]
    public void Corrupt_checksum_is_a_mismatch_and_missing_checksums_fail_at_chunk_zero()
    {
        var data = Data(2048);
        var checksums = new byte[16];
        ChunkChecksums.Compute(data, 512, checksums);
        checksums[13] ^= 0xFF;

        Assert.Equal(3, ChunkChecksums.FindMismatch(data, 512, checksums));
        Assert.Equal(0, ChunkChecksums.FindMismatch(data, 512, checksums.AsSpan(0, 12)));
    }

    [Fact]
    public void Compute_refuses_a_too_small_destination()
    {
        Assert.Throws<ArgumentException>(() => ChunkChecksums.Compute(new byte[1025], 512, new byte[8]));
    }

    [Theory]
    [InlineData(0, 512, 0)]
    [InlineData(1, 512, 1)]
    [InlineData(512, 512, 1)]
    [InlineData(513, 512, 2)]
    [InlineData(134217728, 65536, 2048)]
    public void Counts_chunks(long length, int bytesPerChecksum, int expected)
    {
        Assert.Equal(expected, ChunkChecksums.CountFor(length, bytesPerChecksum));
    }

    [Theory]
    [InlineData(511, false)]
    [InlineData(512, true)]
    [InlineData(65536, true)]
    [InlineData(65537, false)]
    [InlineData(0, false)]
    [InlineData(-512, false)]
    public void Chunk_sizes_are_bounded(int bytesPerChecksum, bool valid)
    {
        Assert.Equal(valid, ChunkChecksums.IsValidChunkSize(bytesPerChecksum, TransferLimits.Default));
    }
}
