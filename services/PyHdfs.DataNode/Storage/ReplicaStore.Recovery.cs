using System.Diagnostics;
using PyHdfs.Protocol.DataTransfer;

namespace PyHdfs.DataNode.Storage;

/// <summary>Why a replica cannot be recovered, with the status the upstream gets.</summary>
internal sealed class ReplicaRecoveryException(TransferStatus status, string message) : IOException(message)
{
    public TransferStatus Status { get; } = status;
}

/// <summary>Pipeline recovery: continuing a replica (in rbw, or finalized) under a newer generation stamp.</summary>
internal sealed partial class ReplicaStore
{
    /// <summary>
    /// Takes over the replica of <paramref name="blockId"/> for a recovery to <paramref name="generationStamp"/>:
    /// cuts data and checksums to <paramref name="numBytes"/>, renames it to the new stamp in rbw and returns
    /// a writer that continues at that offset. Waits up to <paramref name="drainWait"/> for the write that
    /// broke (its connection may not have noticed yet) to let go of the block.
    /// </summary>
    public async Task<ReplicaWriter> RecoverAsync(long blockId, long generationStamp, long numBytes, int bytesPerChecksum,
        TimeSpan drainWait, CancellationToken cancellationToken)
    {
        var name = $"{ReplicaLayout.BlockName(blockId)}_{generationStamp}";
        var (data, meta) = Layout.RbwPaths(blockId, generationStamp);
        var writer = new ReplicaWriter(this, blockId, generationStamp, bytesPerChecksum, data, meta);
        var clock = Stopwatch.StartNew();
        while (!TryRegister(writer))
        {
            var current = InProgress(blockId);
            if (current is not null && current.GenerationStamp >= generationStamp)
            {
                throw new ReplicaRecoveryException(TransferStatus.ErrorExists,
                    $"{name}: already being written here under generation stamp {current.GenerationStamp}");
            }
            if (clock.Elapsed > drainWait)
            {
                throw new ReplicaRecoveryException(TransferStatus.Error,
                    $"{name}: the earlier write (stamp {current?.GenerationStamp}) did not end within {drainWait.TotalSeconds:0.#} s");
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            lock (CommitLock)
            {
                TakeOver(blockId, generationStamp, numBytes, bytesPerChecksum, name, data, meta);
            }
            writer.OpenTruncated(numBytes);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private void TakeOver(long blockId, long generationStamp, long numBytes, int bytesPerChecksum, string name, string rbwData, string rbwMeta)
    {
        var rbw = RbwMetaFiles(blockId).OrderByDescending(m => m.GenerationStamp).FirstOrDefault();
        var hasRbw = rbw.Meta is not null && File.Exists(rbwData);
        var finalized = Get(blockId);
        string sourceData, sourceMeta;
        long stamp;
        var fromFinalized = finalized is not null && (!hasRbw || finalized.GenerationStamp >= rbw.GenerationStamp);
        if (fromFinalized)
        {
            (sourceData, sourceMeta, stamp) = (finalized!.DataPath, finalized.MetaPath, finalized.GenerationStamp);
        }
        else if (hasRbw)
        {
            (sourceData, sourceMeta, stamp) = (rbwData, rbw.Meta!, rbw.GenerationStamp);
        }
        else
        {
            throw new ReplicaRecoveryException(TransferStatus.ErrorNotFound, $"{name}: no replica of the block here to recover");
        }
        if (stamp >= generationStamp)
        {
            throw new ReplicaRecoveryException(TransferStatus.ErrorInvalid,
                $"{name}: the replica here has generation stamp {stamp}, not older than the recovery's");
        }
        var length = new FileInfo(sourceData).Length;
        if (length < numBytes)
        {
            throw new ReplicaRecoveryException(TransferStatus.ErrorNotFound,
                $"{name}: the replica here holds {length} bytes, fewer than the {numBytes} to keep");
        }
        if (numBytes % bytesPerChecksum != 0 && numBytes != length)
        {
            throw new ReplicaRecoveryException(TransferStatus.ErrorInvalid,
                $"{name}: {numBytes} bytes is neither a chunk boundary ({bytesPerChecksum}) nor the replica's length {length}");
        }
        var storedChunk = ReadChunkSize(sourceMeta);
        if (storedChunk != bytesPerChecksum)
        {
            throw new ReplicaRecoveryException(TransferStatus.ErrorInvalid,
                $"{name}: the replica here has {storedChunk}-byte checksum chunks, not {bytesPerChecksum}");
        }
        if (fromFinalized)
        {
            TakeFinalized(blockId);
        }
        if (sourceData != rbwData)
        {
            File.Move(sourceData, rbwData, overwrite: true);
        }
        File.Move(sourceMeta, rbwMeta, overwrite: true);
        foreach (var (other, _) in RbwMetaFiles(blockId).Where(m => m.Meta != rbwMeta).ToArray())
        {
            TryDelete(other);
        }
    }

    private static int ReadChunkSize(string metaPath)
    {
        Span<byte> header = stackalloc byte[ReplicaMetaFile.HeaderSize];
        using (var file = File.OpenRead(metaPath))
        {
            file.ReadExactly(header);
        }
        return ReplicaMetaFile.TryReadHeader(header, out var bytesPerChecksum, out var error)
            ? bytesPerChecksum
            : throw new ReplicaRecoveryException(TransferStatus.Error, $"{metaPath}: {error}");
    }

    /// <summary>Deletes rbw files of blocks no write has touched for <paramref name="ttl"/>; returns how many files went.</summary>
    public int SweepAbandoned(TimeSpan ttl)
    {
        var deleted = 0;
        var horizon = DateTime.UtcNow - ttl;
        foreach (var file in Directory.EnumerateFiles(Layout.RbwDir))
        {
            var fileName = Path.GetFileName(file);
            if (!ReplicaLayout.TryParseDataName(fileName, out var blockId) && !ReplicaLayout.TryParseMetaName(fileName, out blockId, out _))
            {
                continue;
            }
            if (!IsBeingWritten(blockId) && File.GetLastWriteTimeUtc(file) < horizon)
            {
                TryDelete(file);
                deleted++;
            }
        }
        return deleted;
    }
}
