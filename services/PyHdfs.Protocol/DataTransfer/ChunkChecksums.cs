using System.Buffers.Binary;
using System.IO.Hashing;

namespace PyHdfs.Protocol.DataTransfer;

/// <summary>
/// One CRC32 (IEEE, vectorized by System.IO.Hashing) per chunk of <c>bytesPerChecksum</c> bytes,
/// stored big-endian. The last chunk may be short.
/// </summary>
public static class ChunkChecksums
{
    public const int ChecksumSize = 4;
    public const int DefaultBytesPerChecksum = 64 * 1024;

    public static int CountFor(long dataLength, int bytesPerChecksum) =>
        checked((int)((dataLength + bytesPerChecksum - 1) / bytesPerChecksum));

    public static void Compute(ReadOnlySpan<byte> data, int bytesPerChecksum, Span<byte> checksums)
    {
        var count = CountFor(data.Length, bytesPerChecksum);
        if (checksums.Length < count * ChecksumSize)
        {
            throw new ArgumentException($"need {count * ChecksumSize} bytes for checksums, got {checksums.Length}", nameof(checksums));
        }
        for (var i = 0; i < count; i++)
        {
            var chunk = data.Slice(i * bytesPerChecksum, Math.Min(bytesPerChecksum, data.Length - (i * bytesPerChecksum)));
            BinaryPrimitives.WriteUInt32BigEndian(checksums[(i * ChecksumSize)..], Crc32.HashToUInt32(chunk));
        }
    }

    /// <summary>The index of the first chunk whose checksum does not match, or -1 when all match.</summary>
    public static int FindMismatch(ReadOnlySpan<byte> data, int bytesPerChecksum, ReadOnlySpan<byte> checksums)
    {
        var count = CountFor(data.Length, bytesPerChecksum);
        if (checksums.Length < count * ChecksumSize)
        {
            return 0;
        }
        for (var i = 0; i < count; i++)
        {
            var chunk = data.Slice(i * bytesPerChecksum, Math.Min(bytesPerChecksum, data.Length - (i * bytesPerChecksum)));
            if (Crc32.HashToUInt32(chunk) != BinaryPrimitives.ReadUInt32BigEndian(checksums[(i * ChecksumSize)..]))
            {
                return i;
            }
        }
        return -1;
    }

    public static bool IsValidChunkSize(int bytesPerChecksum, TransferLimits limits) =>
        bytesPerChecksum >= limits.MinBytesPerChecksum && bytesPerChecksum <= limits.MaxBytesPerChecksum;
}
