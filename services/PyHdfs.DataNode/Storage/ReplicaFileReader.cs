using System.Buffers;
using Microsoft.Win32.SafeHandles;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Storage;

/// <summary>The open data and meta files of a finalized replica being sent (read or re-replication).</summary>
internal sealed class ReplicaFileReader : IDisposable
{
    private readonly SafeFileHandle _data;
    private readonly SafeFileHandle _meta;

    private ReplicaFileReader(SafeFileHandle data, SafeFileHandle meta)
    {
        _data = data;
        _meta = meta;
    }

    /// <summary>Opens both files; a replica deleted meanwhile stays readable through the open handles.</summary>
    public static ReplicaFileReader Open(ReplicaFiles replica)
    {
        var data = File.OpenHandle(replica.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        try
        {
            var meta = File.OpenHandle(replica.MetaPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new ReplicaFileReader(data, meta);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public void ReadData(Span<byte> destination, long offset, string name) =>
        ReadFully(_data, destination, offset, name, "data");

    /// <summary>Reads the stored CRC32s of consecutive chunks starting with <paramref name="firstChunk"/>.</summary>
    public void ReadChecksums(Span<byte> destination, long firstChunk, string name) =>
        ReadFully(_meta, destination, ReplicaMetaFile.ChecksumOffset(firstChunk), name, "meta");

    /// <summary>
    /// Reads <paramref name="data"/> from <paramref name="position"/> (a chunk boundary) and verifies it against the
    /// stored CRCs of its <paramref name="bytesPerChecksum"/>-byte chunks. Returns −1, or the block offset of the first chunk that fails.
    /// </summary>
    public long ReadVerified(Span<byte> data, long position, int bytesPerChecksum, string name)
    {
        ReadData(data, position, name);
        var storedBytes = ChunkChecksums.CountFor(data.Length, bytesPerChecksum) * ChunkChecksums.ChecksumSize;
        var stored = ArrayPool<byte>.Shared.Rent(storedBytes);
        try
        {
            ReadChecksums(stored.AsSpan(0, storedBytes), position / bytesPerChecksum, name);
            var bad = ChunkChecksums.FindMismatch(data, bytesPerChecksum, stored.AsSpan(0, storedBytes));
            return bad < 0 ? -1 : position + ((long)bad * bytesPerChecksum);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    private static void ReadFully(SafeFileHandle file, Span<byte> destination, long offset, string name, string what)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                throw new IOException($"{name}: {what} file ends at {offset}, before the bytes to send");
            }
            destination = destination[read..];
            offset += read;
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _meta.Dispose();
    }
}
