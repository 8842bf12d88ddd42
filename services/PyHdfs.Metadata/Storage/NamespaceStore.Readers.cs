using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.Metadata.Storage;

public sealed partial class NamespaceStore
{
    public const int ImageChunkSize = 10_000;
    private const int JournalBatchSize = 1_000;

    /// <summary>
    /// Streams a consistent image: one read transaction (one WAL snapshot) for the header and every
    /// row, read and sent in chunks of at most <paramref name="chunkSize"/> records, never all in memory.
    /// </summary>
    public async IAsyncEnumerable<NamespaceImageChunk> LoadNamespaceAsync(
        int chunkSize = ImageChunkSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        // The first read pins the snapshot: everything below sees the database as of this moment.
        var counters = ReadCounters(connection, transaction);
        var header = new ImageHeader
        {
            LastTxid = counters.LastTxid,
            PromisedEpoch = counters.PromisedEpoch,
            LastInodeId = counters.LastInodeId,
            LastBlockId = counters.LastBlockId,
            LastGenerationStamp = counters.LastGenerationStamp,
            InodeCount = (long)ExecuteScalar(connection, "SELECT COUNT(*) FROM inodes", transaction)!,
            BlockCount = (long)ExecuteScalar(connection, "SELECT COUNT(*) FROM blocks", transaction)!,
        };
        yield return new NamespaceImageChunk { Header = header };

        using (var inodes = connection.CreateCommand())
        {
            inodes.Transaction = transaction;
            inodes.CommandText = """
                SELECT id, parent_id, name, kind, mtime, replication, block_size, under_construction, client_name, owner, grp, permission,
                       atime, reopened_blocks, replace_from
                FROM inodes ORDER BY id
                """;
            using var reader = inodes.ExecuteReader();
            var chunk = new NamespaceImageChunk();
            while (reader.Read())
            {
                chunk.Inodes.Add(new InodeRecord
                {
                    Id = reader.GetInt64(0),
                    ParentId = reader.GetInt64(1),
                    Name = reader.GetString(2),
                    Kind = (InodeKind)reader.GetInt32(3),
                    ModificationTimeMs = reader.GetInt64(4),
                    Replication = reader.GetInt32(5),
                    BlockSize = reader.GetInt64(6),
                    UnderConstruction = reader.GetInt64(7) != 0,
                    ClientName = reader.GetString(8),
                    Owner = reader.GetString(9),
                    Group = reader.GetString(10),
                    Permission = (uint)reader.GetInt64(11),
                    AccessTimeMs = reader.GetInt64(12),
                    Reopened = reader.GetInt32(13) < 0 ? null
                        : new ReopenState { VisibleBlocks = reader.GetInt32(13), ReplaceFrom = reader.GetInt32(14) },
                });
                if (chunk.Inodes.Count == chunkSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return chunk;
                    chunk = new NamespaceImageChunk();
                }
            }
            if (chunk.Inodes.Count > 0)
            {
                yield return chunk;
            }
        }

        using (var blocks = connection.CreateCommand())
        {
            blocks.Transaction = transaction;
            blocks.CommandText = "SELECT inode_id, idx, block_id, generation_stamp, num_bytes FROM blocks ORDER BY inode_id, idx";
            using var reader = blocks.ExecuteReader();
            var chunk = new NamespaceImageChunk();
            while (reader.Read())
            {
                chunk.Blocks.Add(new BlockRecord
                {
                    InodeId = reader.GetInt64(0),
                    Index = reader.GetInt32(1),
                    Block = new BlockRef { BlockId = reader.GetInt64(2), GenerationStamp = reader.GetInt64(3), NumBytes = reader.GetInt64(4) },
                });
                if (chunk.Blocks.Count == chunkSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return chunk;
                    chunk = new NamespaceImageChunk();
                }
            }
            if (chunk.Blocks.Count > 0)
            {
                yield return chunk;
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Journal entries with txid ≥ <paramref name="fromTxid"/>, in order. With <paramref name="follow"/> the
    /// enumeration waits for the next commit (an in-process signal, no polling) and never ends on its own.
    /// </summary>
    public async IAsyncEnumerable<JournalEntry> ReadJournalAsync(
        long fromTxid, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        var next = Math.Max(1, fromTxid);
        // One statement, one snapshot: with an empty journal the oldest entry is the next txid as of the
        // same snapshot. (Mixing in the in-memory counter raced with a commit landing in between.)
        var oldest = (long)ExecuteScalar(connection,
            "SELECT COALESCE((SELECT MIN(txid) FROM journal), (SELECT value FROM meta WHERE key = 'last_txid') + 1)")!;
        if (next < oldest)
        {
            throw new DfsException(ErrorKind.InvalidArgument,
                $"{DatabasePath}: journal entries before txid {oldest} were trimmed (asked from {fromTxid}): load the namespace image instead");
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT txid, epoch, op FROM journal WHERE txid >= $from ORDER BY txid LIMIT $limit";
        var from = command.Parameters.Add("$from", SqliteType.Integer);
        command.Parameters.AddWithValue("$limit", JournalBatchSize);
        while (true)
        {
            // Taken before the query: a commit landing after the query still completes this task.
            var nextCommit = _commits.NextCommit;
            from.Value = next;
            var batch = new List<JournalEntry>(JournalBatchSize);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    batch.Add(new JournalEntry
                    {
                        Txid = reader.GetInt64(0),
                        Epoch = reader.GetInt64(1),
                        Op = NamespaceOp.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)),
                    });
                }
            }
            // A trim that overtook a slow reader is an error, not a silent gap. (Trimming always keeps the
            // newest entry, so an empty batch means "caught up", never "trimmed".)
            if (batch.Count > 0 && batch[0].Txid != next)
            {
                throw new DfsException(ErrorKind.InvalidArgument,
                    $"{DatabasePath}: journal entries from txid {next} were trimmed while being read: load the namespace image instead");
            }
            foreach (var entry in batch)
            {
                yield return entry;
            }
            if (batch.Count > 0)
            {
                next = batch[^1].Txid + 1;
                if (batch.Count == JournalBatchSize)
                {
                    continue;
                }
            }
            if (!follow)
            {
                yield break;
            }
            await nextCommit.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public MetadataStatus GetStatus()
    {
        using var connection = OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        var counters = ReadCounters(connection, transaction);
        return new MetadataStatus
        {
            LastTxid = counters.LastTxid,
            PromisedEpoch = counters.PromisedEpoch,
            JournalEntries = (long)ExecuteScalar(connection, "SELECT COUNT(*) FROM journal", transaction)!,
            FirstJournalTxid = ExecuteScalar(connection, "SELECT MIN(txid) FROM journal", transaction) as long? ?? 0,
            InodeCount = (long)ExecuteScalar(connection, "SELECT COUNT(*) FROM inodes", transaction)!,
            BlockCount = (long)ExecuteScalar(connection, "SELECT COUNT(*) FROM blocks", transaction)!,
            DatabasePath = DatabasePath,
        };
    }

    /// <summary>A cheap read that fails when the database cannot be read.</summary>
    public long CheckReadable()
    {
        using var connection = OpenReader();
        return (long)ExecuteScalar(connection, "SELECT value FROM meta WHERE key = 'last_txid'")!;
    }

    /// <summary>
    /// Deletes journal entries older than the newest <paramref name="retainEntries"/>, in small batches,
    /// each its own short write transaction, so appends wait at most one batch. The tables are the
    /// checkpoint, so trimming loses nothing but history for tailing standbys.
    /// </summary>
    public async Task<long> TrimJournalAsync(long retainEntries, int batchSize = 10_000, CancellationToken cancellationToken = default)
    {
        long total = 0;
        while (true)
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            int deleted;
            try
            {
                var cut = Counters.LastTxid - retainEntries; // delete txid <= cut
                using var transaction = _writer.BeginTransaction();
                _commands.Transaction = transaction;
                deleted = _commands.Execute(
                    "DELETE FROM journal WHERE txid <= MIN($cut, (SELECT MIN(txid) FROM journal) + $batch - 1)",
                    ("$cut", cut), ("$batch", batchSize));
                transaction.Commit();
            }
            finally
            {
                _commands.Transaction = null;
                _writeLock.Release();
            }
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }
}
