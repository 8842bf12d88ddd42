using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using Microsoft.Extensions.Options;
using PyHdfs.DataNode.Control;

namespace PyHdfs.DataNode.Storage;

/// <summary>
/// Verifies the checksums of every finalized replica in the background, so that corruption of
/// replicas nobody reads is found too: one pass over the replicas (in block id order) at no more
/// than DataNode:ScannerBytesPerSecond, then a pause of DataNode:ScannerIntervalMs. A replica
/// whose data does not match its stored checksums is reported to the NameNodes, which
/// re-replicate the block from a good replica and then delete this one.
/// </summary>
internal sealed class BlockScanner(ReplicaStore store, BadReplicaReporter reporter, IHostApplicationLifetime lifetime,
    IOptions<DataNodeOptions> options, ILogger<BlockScanner> logger) : BackgroundService
{
    private const int SliceBytes = 1024 * 1024;

    /// <summary>Replicas verified and found corrupt since start (tests and logs).</summary>
    public long ReplicasScanned => Interlocked.Read(ref _scanned);
    public long CorruptFound => Interlocked.Read(ref _corrupt);

    private long _scanned;
    private long _corrupt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var opts = options.Value;
        if (opts.ScannerIntervalMs <= 0 || opts.ScannerBytesPerSecond <= 0)
        {
            logger.LogInformation("Block scanner disabled (DataNode:ScannerIntervalMs or ScannerBytesPerSecond is 0)");
            return;
        }
        if (!await HostStarted.WaitAsync(lifetime, stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (store.IsLoaded)
                {
                    await ScanAllAsync(opts.ScannerBytesPerSecond, stoppingToken).ConfigureAwait(false);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(opts.ScannerIntervalMs), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ScanAllAsync(long bytesPerSecond, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        foreach (var replica in store.Snapshot().OrderBy(r => r.BlockId))
        {
            if (store.Get(replica.BlockId) != replica)
            {
                continue; // deleted or replaced since the snapshot
            }
            string? problem;
            try
            {
                problem = await VerifyAsync(replica, bytesPerSecond, clock, () => bytes, b => bytes += b, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (store.Get(replica.BlockId) != replica)
                {
                    continue;
                }
                problem = "unreadable: " + e.Message;
            }
            Interlocked.Increment(ref _scanned);
            if (problem is not null && store.Get(replica.BlockId) == replica)
            {
                Interlocked.Increment(ref _corrupt);
                logger.LogWarning("Block scanner: replica blk_{Block}_{Stamp} is corrupt ({Problem}); reporting it",
                    replica.BlockId, replica.GenerationStamp, problem);
                await reporter.ReportAsync(ReplicaStore.ToBlockRef(replica), "block scanner: " + problem, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Null when every chunk matches its stored CRC32, else what is wrong. Throttled to <paramref name="bytesPerSecond"/>.</summary>
    private static async Task<string?> VerifyAsync(ReplicaFiles replica, long bytesPerSecond, Stopwatch clock, Func<long> total, Action<long> add,
        CancellationToken cancellationToken)
    {
        using var data = File.OpenHandle(replica.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var meta = File.OpenHandle(replica.MetaPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(data);
        if (length != replica.Length)
        {
            return $"data file holds {length} bytes, {replica.Length} expected";
        }
        var chunkSize = replica.BytesPerChecksum;
        if (RandomAccess.GetLength(meta) != ReplicaMetaFile.ExpectedLength(length, chunkSize))
        {
            return "meta file has the wrong length";
        }
        var chunksPerSlice = Math.Max(1, SliceBytes / chunkSize);
        var buffer = ArrayPool<byte>.Shared.Rent(chunksPerSlice * chunkSize);
        var sums = ArrayPool<byte>.Shared.Rent(chunksPerSlice * 4);
        try
        {
            long chunk = 0;
            for (long offset = 0; offset < length;)
            {
                var size = (int)Math.Min((long)chunksPerSlice * chunkSize, length - offset);
                var chunks = (size + chunkSize - 1) / chunkSize;
                ReadFully(data, buffer.AsSpan(0, size), offset);
                ReadFully(meta, sums.AsSpan(0, chunks * 4), ReplicaMetaFile.ChecksumOffset(chunk));
                for (var i = 0; i < chunks; i++)
                {
                    var start = i * chunkSize;
                    var span = buffer.AsSpan(start, Math.Min(chunkSize, size - start));
                    if (Crc32.HashToUInt32(span) != BinaryPrimitives.ReadUInt32BigEndian(sums.AsSpan(i * 4)))
                    {
                        return $"checksum mismatch in chunk {chunk + i} (offset {offset + start})";
                    }
                }
                offset += size;
                chunk += chunks;
                add(size);
                // Throttle: never ahead of bytesPerSecond since the pass started.
                var due = TimeSpan.FromSeconds((double)total() / bytesPerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(sums);
        }
    }

    private static void ReadFully(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                throw new IOException($"file ends at offset {offset}");
            }
            destination = destination[read..];
            offset += read;
        }
    }
}
