using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace PyHdfs.DataNode.Storage;

/// <summary>A finalized replica as it lies on disk.</summary>
public sealed record ReplicaFiles(long BlockId, long GenerationStamp, long Length, int BytesPerChecksum, string DataPath, string MetaPath);

/// <summary>
/// Reads replicas straight from a data directory, without a running DataNode: tests use it to
/// check replication at the source of truth, and the DataNode uses it to load its replica map.
/// </summary>
public static class ReplicaInspector
{
    /// <summary>The finalized replica of <paramref name="blockId"/> under <paramref name="dataDir"/>, or null when there is none.</summary>
    public static ReplicaFiles? FindReplica(string dataDir, long blockId)
    {
        if (blockId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blockId), blockId, "block ids are positive");
        }
        var layout = new ReplicaLayout(dataDir);
        var data = Path.Combine(layout.FinalizedSubdir(blockId), ReplicaLayout.BlockName(blockId));
        return TryLoad(data, out var replica, out _) ? replica : null;
    }

    /// <summary>Every finalized replica of <paramref name="blockId"/> (zero or one per data directory).</summary>
    public static IReadOnlyList<ReplicaFiles> FindReplicas(string dataDir, long blockId) =>
        FindReplica(dataDir, blockId) is { } replica ? [replica] : [];

    /// <summary>True when the meta file is well formed and every chunk of the data matches its stored CRC32.</summary>
    public static bool VerifyChecksums(ReplicaFiles replica) => FindFirstCorruptChunk(replica) < 0;

    public static bool VerifyChecksums(string dataDir, long blockId) =>
        FindReplica(dataDir, blockId) is { } replica && VerifyChecksums(replica);

    /// <summary>The index of the first chunk whose data does not match its checksum (or whose checksum is missing); -1 when all match.</summary>
    public static long FindFirstCorruptChunk(ReplicaFiles replica)
    {
        using var data = File.OpenHandle(replica.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var meta = File.OpenHandle(replica.MetaPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(data);
        if (RandomAccess.GetLength(meta) != ReplicaMetaFile.ExpectedLength(length, replica.BytesPerChecksum))
        {
            return 0;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(replica.BytesPerChecksum);
        Span<byte> stored = stackalloc byte[4];
        try
        {
            long chunk = 0;
            for (long offset = 0; offset < length; offset += replica.BytesPerChecksum, chunk++)
            {
                var size = (int)Math.Min(replica.BytesPerChecksum, length - offset);
                if (RandomAccess.Read(data, buffer.AsSpan(0, size), offset) != size
                    || RandomAccess.Read(meta, stored, ReplicaMetaFile.ChecksumOffset(chunk)) != 4
                    || Crc32.HashToUInt32(buffer.AsSpan(0, size)) != BinaryPrimitives.ReadUInt32BigEndian(stored))
                {
                    return chunk;
                }
            }
            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Loads the replica whose data file is <paramref name="dataPath"/> ("…/blk_{id}"): its meta file is the
    /// "blk_{id}_{genstamp}.meta" beside it with the highest stamp, and its lengths must agree.
    /// </summary>
    internal static bool TryLoad(string dataPath, out ReplicaFiles? replica, out string error)
    {
        replica = null;
        var directory = Path.GetDirectoryName(dataPath)!;
        if (!ReplicaLayout.TryParseDataName(Path.GetFileName(dataPath), out var blockId))
        {
            error = $"{dataPath}: not a replica file name";
            return false;
        }
        if (!File.Exists(dataPath))
        {
            error = $"{ReplicaLayout.BlockName(blockId)}: no data file";
            return false;
        }
        string? metaPath = null;
        long generationStamp = -1;
        foreach (var candidate in Directory.EnumerateFiles(directory, ReplicaLayout.BlockName(blockId) + "_*.meta"))
        {
            if (ReplicaLayout.TryParseMetaName(Path.GetFileName(candidate), out var id, out var stamp) && id == blockId && stamp > generationStamp)
            {
                generationStamp = stamp;
                metaPath = candidate;
            }
        }
        if (metaPath is null)
        {
            error = $"{ReplicaLayout.BlockName(blockId)}: no meta file beside {dataPath}";
            return false;
        }
        var length = new FileInfo(dataPath).Length;
        Span<byte> header = stackalloc byte[ReplicaMetaFile.HeaderSize];
        using (var meta = File.OpenHandle(metaPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (RandomAccess.Read(meta, header, 0) != header.Length || !ReplicaMetaFile.TryReadHeader(header, out var bytesPerChecksum, out _))
            {
                error = $"{ReplicaLayout.BlockName(blockId)}: unreadable meta file {metaPath}";
                return false;
            }
            var metaLength = RandomAccess.GetLength(meta);
            if (metaLength != ReplicaMetaFile.ExpectedLength(length, bytesPerChecksum))
            {
                error = $"{ReplicaLayout.BlockName(blockId)}: meta file holds {metaLength} bytes but {length} data bytes need {ReplicaMetaFile.ExpectedLength(length, bytesPerChecksum)}";
                return false;
            }
            replica = new ReplicaFiles(blockId, generationStamp, length, bytesPerChecksum, dataPath, metaPath);
        }
        error = "";
        return true;
    }
}
