using System.Buffers.Binary;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// The checksum file beside a replica: <c>"PYDM" | version (uint16 BE) | reserved (uint16) |
/// bytes_per_checksum (uint32 BE)</c>, then one CRC32 (uint32 BE) per chunk of the data — exactly
/// the checksums the writer sent in its packets.
/// </summary>
internal static class ReplicaMetaFile
{
    public const int HeaderSize = 12;
    public const ushort Version = 1;
    private static ReadOnlySpan<byte> Magic => "PYDM"u8;

    public static void WriteHeader(Span<byte> destination, int bytesPerChecksum)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)bytesPerChecksum);
    }

    /// <summary>The chunk size recorded in the header, or an error naming the file and the cause.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int bytesPerChecksum, out string error)
    {
        bytesPerChecksum = 0;
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic))
        {
            error = "bad magic";
            return false;
        }
        var version = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (version != Version)
        {
            error = $"unsupported version {version}";
            return false;
        }
        var size = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        if (size == 0 || size > 16 * 1024 * 1024)
        {
            error = $"bytes_per_checksum {size} out of range";
            return false;
        }
        bytesPerChecksum = (int)size;
        error = "";
        return true;
    }

    public static long ExpectedLength(long dataLength, int bytesPerChecksum) =>
        HeaderSize + ((dataLength + bytesPerChecksum - 1) / bytesPerChecksum * 4);

    public static long ChecksumOffset(long chunkIndex) => HeaderSize + (chunkIndex * 4);
}
