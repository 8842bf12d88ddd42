using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PyHdfs.Protocol;

namespace PyHdfs.DataNode.Storage;

/// <summary>Why a replica cannot be created.</summary>
internal sealed class ReplicaExistsException(string message) : IOException(message);

/// <summary>
/// The replicas of one data directory. Only finalized replicas are in the map (and served or
/// reported); replicas being written live in <c>current/rbw</c> until <see cref="ReplicaWriter.Finalize"/>
/// renames them into <c>current/finalized</c>. An rbw replica whose write broke stays for a pipeline
/// recovery (ReplicaStore.Recovery.cs) until <see cref="AbandonedReplicaSweeper"/> or the next start removes it.
/// </summary>
internal sealed partial class ReplicaStore(IOptions<DataNodeOptions> options, ILogger<ReplicaStore> logger)
{
    private readonly ConcurrentDictionary<long, ReplicaFiles> _finalized = new();
    private readonly ConcurrentDictionary<long, ReplicaWriter> _inProgress = new();
    private readonly Lock _commitLock = new();
    private long _usedBytes;
    private volatile bool _loaded;

    public ReplicaLayout Layout { get; } = new(options.Value.DataDir);
    public bool IsLoaded => _loaded;
    public int BlockCount => _finalized.Count;
    public int WritesInProgress => _inProgress.Count;
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>True while some write of the block is in progress here.</summary>
    public bool IsBeingWritten(long blockId) => _inProgress.ContainsKey(blockId);

    /// <summary>Creates the layout, drops abandoned writes and loads the finalized replicas.</summary>
    public void Load()
    {
        Directory.CreateDirectory(Layout.RbwDir);
        Directory.CreateDirectory(Layout.FinalizedDir);
        DirectorySync.Flush(Layout.CurrentDir);
        DirectorySync.Flush(Layout.DataDir);
        var abandoned = 0;
        foreach (var file in Directory.EnumerateFiles(Layout.RbwDir))
        {
            File.Delete(file);
            abandoned++;
        }
        foreach (var subdir in Directory.EnumerateDirectories(Layout.FinalizedDir, "subdir*"))
        {
            foreach (var file in Directory.EnumerateFiles(subdir, "blk_*"))
            {
                if (file.EndsWith(".meta", StringComparison.Ordinal))
                {
                    continue;
                }
                if (ReplicaInspector.TryLoad(file, out var replica, out var error))
                {
                    _finalized[replica!.BlockId] = replica;
                    Interlocked.Add(ref _usedBytes, replica.Length);
                }
                else
                {
                    logger.LogWarning("Ignoring replica: {Error}", error);
                }
            }
        }
        _loaded = true;
        logger.LogInformation("Storage {DataDir}: {Count} finalized replicas ({Bytes} bytes), {Abandoned} abandoned in-progress files removed",
            Layout.DataDir, _finalized.Count, UsedBytes, abandoned);
    }

    public ReplicaFiles? Get(long blockId) => _finalized.TryGetValue(blockId, out var replica) ? replica : null;

    public IReadOnlyCollection<ReplicaFiles> Snapshot() => _finalized.Values.ToArray();

    /// <summary>
    /// Starts a new replica in rbw. Fails when the block is being written here already, or is
    /// finalized here (unless <paramref name="replaceOlder"/> and the existing stamp is older: a re-replication
    /// onto a node that still holds a stale replica).
    /// </summary>
    public ReplicaWriter Create(long blockId, long generationStamp, int bytesPerChecksum, bool replaceOlder)
    {
        var name = $"{ReplicaLayout.BlockName(blockId)}_{generationStamp}";
        if (_finalized.TryGetValue(blockId, out var existing) && !(replaceOlder && existing.GenerationStamp < generationStamp))
        {
            throw new ReplicaExistsException($"{name}: a finalized replica with generation stamp {existing.GenerationStamp} already exists");
        }
        var (data, meta) = Layout.RbwPaths(blockId, generationStamp);
        var writer = new ReplicaWriter(this, blockId, generationStamp, bytesPerChecksum, data, meta);
        if (!_inProgress.TryAdd(blockId, writer))
        {
            throw new ReplicaExistsException($"{name}: the block is already being written to this DataNode");
        }
        // A writer of the same block may have finalized between the check above and TryAdd.
        if (_finalized.TryGetValue(blockId, out existing) && !(replaceOlder && existing.GenerationStamp < generationStamp))
        {
            Release(writer);
            throw new ReplicaExistsException($"{name}: a finalized replica with generation stamp {existing.GenerationStamp} already exists");
        }
        try
        {
            // Left by an earlier write of the block that this node dropped out of (now garbage).
            DeleteRbwFiles(blockId);
            writer.Open();
            return writer;
        }
        catch
        {
            writer.Abort();
            throw;
        }
    }

    /// <summary>The rbw files of a block: its data file and the meta files of every stamp it was written under.</summary>
    internal IEnumerable<(string Meta, long GenerationStamp)> RbwMetaFiles(long blockId)
    {
        foreach (var file in Directory.EnumerateFiles(Layout.RbwDir, ReplicaLayout.BlockName(blockId) + "_*.meta"))
        {
            if (ReplicaLayout.TryParseMetaName(Path.GetFileName(file), out var id, out var stamp) && id == blockId)
            {
                yield return (file, stamp);
            }
        }
    }

    private void DeleteRbwFiles(long blockId)
    {
        foreach (var (meta, _) in RbwMetaFiles(blockId).ToArray())
        {
            TryDelete(meta);
        }
        TryDelete(Layout.RbwPaths(blockId, 0).Data);
    }

    /// <summary>
    /// Moves a complete rbw replica into finalized: meta first, then data, whose rename is the commit point.
    /// With <paramref name="sync"/> the renames are made durable (the directories fsynced) before it returns,
    /// so a replica acknowledged to a writer is still finalized after a power cut.
    /// </summary>
    internal ReplicaFiles Commit(ReplicaWriter writer, bool sync)
    {
        var (data, meta) = Layout.FinalizedPaths(writer.BlockId, writer.GenerationStamp);
        lock (_commitLock)
        {
            _finalized.TryGetValue(writer.BlockId, out var replaced);
            var subdir = Path.GetDirectoryName(data)!;
            var newSubdir = !Directory.Exists(subdir);
            Directory.CreateDirectory(subdir);
            File.Move(writer.MetaPath, meta, overwrite: true);
            File.Move(writer.DataPath, data, overwrite: true);
            if (sync)
            {
                if (newSubdir)
                {
                    DirectorySync.Flush(Layout.FinalizedDir);
                }
                // One directory suffices on ext4 and xfs: the rename is one journal transaction for both names.
                DirectorySync.Flush(subdir);
            }
            if (replaced is not null && replaced.MetaPath != meta)
            {
                TryDelete(replaced.MetaPath);
            }
            var replica = new ReplicaFiles(writer.BlockId, writer.GenerationStamp, writer.Length, writer.BytesPerChecksum, data, meta);
            _finalized[writer.BlockId] = replica;
            Interlocked.Add(ref _usedBytes, replica.Length - (replaced?.Length ?? 0));
            return replica;
        }
    }

    internal bool TryRegister(ReplicaWriter writer) => _inProgress.TryAdd(writer.BlockId, writer);

    internal ReplicaWriter? InProgress(long blockId) => _inProgress.GetValueOrDefault(blockId);

    internal ReplicaFiles? TakeFinalized(long blockId)
    {
        if (!_finalized.TryRemove(blockId, out var replica))
        {
            return null;
        }
        Interlocked.Add(ref _usedBytes, -replica.Length);
        return replica;
    }

    internal Lock CommitLock => _commitLock;

    internal void Release(ReplicaWriter writer) => _inProgress.TryRemove(new KeyValuePair<long, ReplicaWriter>(writer.BlockId, writer));

    /// <summary>Deletes the finalized replica when its stamp is not newer than <paramref name="generationStamp"/>; returns it, or null when there was none.</summary>
    public ReplicaFiles? Delete(long blockId, long generationStamp)
    {
        if (!ReplicaLayout.IsValidBlockId(blockId))
        {
            return null;
        }
        lock (_commitLock)
        {
            if (!_finalized.TryGetValue(blockId, out var replica) || replica.GenerationStamp > generationStamp)
            {
                return null;
            }
            _finalized.TryRemove(blockId, out _);
            Interlocked.Add(ref _usedBytes, -replica.Length);
            // Data first: without it the meta file alone is never loaded as a replica.
            TryDelete(replica.DataPath);
            TryDelete(replica.MetaPath);
            return replica;
        }
    }

    public long CapacityBytes
    {
        get
        {
            var configured = options.Value.CapacityBytes;
            return configured > 0 ? configured : Drive()?.TotalSize ?? 0;
        }
    }

    public long RemainingBytes
    {
        get
        {
            var free = Drive()?.AvailableFreeSpace ?? 0;
            var configured = options.Value.CapacityBytes;
            return Math.Max(0, configured > 0 ? Math.Min(configured - UsedBytes, free) : free);
        }
    }

    private DriveInfo? Drive()
    {
        try
        {
            return new DriveInfo(Layout.DataDir);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static BlockRef ToBlockRef(ReplicaFiles replica) =>
        new() { BlockId = replica.BlockId, GenerationStamp = replica.GenerationStamp, NumBytes = replica.Length };
}
