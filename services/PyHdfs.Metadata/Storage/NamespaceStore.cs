using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using PyHdfs.Protocol;
using PyHdfs.Protocol.Errors;
using PyHdfs.Protocol.Metadata;

namespace PyHdfs.Metadata.Storage;

/// <summary>
/// The durable namespace: a SQLite database in WAL mode with synchronous=FULL. One writer connection
/// (appends are serialized); every reader (image loads, journal tails, status) opens its own
/// connection and reads a consistent WAL snapshot without blocking the writer.
/// </summary>
public sealed partial class NamespaceStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SqliteCommandCache _commands;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CommitSignal _commits = new();
    private NamespaceCounters _counters;

    private NamespaceStore(string databasePath, string connectionString, SqliteConnection writer, NamespaceCounters counters)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
        _writer = writer;
        _commands = new SqliteCommandCache(writer);
        _counters = counters;
    }

    public string DatabasePath { get; }

    /// <summary>The counters as of the last commit.</summary>
    internal NamespaceCounters Counters => Volatile.Read(ref _counters);

    public long LastTxid => Counters.LastTxid;

    public long PromisedEpoch => Counters.PromisedEpoch;

    public static NamespaceStore Open(string databasePath, string superUser)
    {
        var fullPath = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            var mode = ExecuteScalar(writer, "PRAGMA journal_mode=WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{fullPath}: SQLite refused WAL mode (journal_mode={mode})");
            }
            ConfigureConnection(writer);
            NamespaceSchema.CreateAndSeed(writer, superUser);
            return new NamespaceStore(fullPath, connectionString, writer, ReadCounters(writer, null));
        }
        catch (SqliteException e)
        {
            writer.Dispose();
            throw new InvalidOperationException($"{fullPath}: cannot open the namespace database: {e.Message}", e);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    // synchronous=FULL: a commit returns only after the WAL is fsynced, so an acknowledged append
    // survives kill -9 and power loss (NORMAL would only survive the former).
    private static void ConfigureConnection(SqliteConnection connection) =>
        ExecuteScalar(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA busy_timeout=30000");

    /// <summary>The writer connection's PRAGMA synchronous (2 = FULL); per connection, so only the store can tell.</summary>
    internal long WriterSynchronousMode()
    {
        _writeLock.Wait();
        try
        {
            return (long)ExecuteScalar(_writer, "PRAGMA synchronous")!;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static object? ExecuteScalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static NamespaceCounters ReadCounters(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, value FROM meta";
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        long Get(string key) => values.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"{connection.DataSource}: meta row '{key}' is missing: the database is damaged");
        return new NamespaceCounters(Get(NamespaceSchema.LastTxid), Get(NamespaceSchema.PromisedEpoch), Get(NamespaceSchema.LastInodeId),
            Get(NamespaceSchema.LastBlockId), Get(NamespaceSchema.LastGenerationStamp));
    }

    /// <summary>A new read connection (pooled) for a reader that must not wait on the writer.</summary>
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<NewEpochResponse> NewEpochAsync(long epoch, string writerId, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var counters = Counters;
            if (epoch < counters.PromisedEpoch)
            {
                throw Fenced("new epoch", epoch, counters.PromisedEpoch, writerId);
            }
            if (epoch > counters.PromisedEpoch)
            {
                using var transaction = _writer.BeginTransaction();
                _commands.Transaction = transaction;
                WriteMeta(NamespaceSchema.PromisedEpoch, epoch);
                transaction.Commit();
                Volatile.Write(ref _counters, counters with { PromisedEpoch = epoch });
            }
            return new NewEpochResponse { PromisedEpoch = epoch, LastTxid = counters.LastTxid };
        }
        finally
        {
            _commands.Transaction = null;
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Journals and applies a batch of entries in one transaction (group commit) and returns the new
    /// last txid. Entries at or below the last txid are accepted again only when identical (a retry).
    /// </summary>
    public Task<long> AppendAsync(long epoch, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(epoch, entries, parent: default, cancellationToken);

    /// <param name="parent">The writer's span for this batch; default: the current activity.</param>
    public async Task<long> AppendAsync(long epoch, IReadOnlyList<JournalEntry> entries, ActivityContext parent, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var counters = Counters;
            if (epoch < counters.PromisedEpoch)
            {
                throw Fenced("append", epoch, counters.PromisedEpoch, writerId: null);
            }
            if (entries.Count == 0)
            {
                return counters.LastTxid;
            }
            var fresh = ValidateBatch(epoch, entries, counters);
            if (fresh.Count == 0 && epoch == counters.PromisedEpoch)
            {
                return counters.LastTxid; // a pure retry: everything is already durable
            }
            using var activity = MetadataTelemetry.Source.StartActivity("journal append", ActivityKind.Internal, parent);
            activity?.SetTag("pyhdfs.epoch", epoch);
            activity?.SetTag("pyhdfs.op_count", fresh.Count);
            if (fresh.Count > 0)
            {
                activity?.SetTag("pyhdfs.txid.first", fresh[0].Txid);
                activity?.SetTag("pyhdfs.txid.last", fresh[^1].Txid);
            }
            var updated = Commit(epoch, fresh, counters);
            Volatile.Write(ref _counters, updated);
            _commits.Signal();
            return updated.LastTxid;
        }
        finally
        {
            _commands.Transaction = null;
            _writeLock.Release();
        }
    }

    /// <summary>Checks fencing-independent rules and returns the entries not yet journaled.</summary>
    private List<JournalEntry> ValidateBatch(long epoch, IReadOnlyList<JournalEntry> entries, NamespaceCounters counters)
    {
        var first = entries[0].Txid;
        if (first < 1)
        {
            throw Invalid($"append: txid {first} is not positive");
        }
        if (first > counters.LastTxid + 1)
        {
            throw Invalid($"append: gap in the journal: the next txid is {counters.LastTxid + 1}, the batch starts at {first}");
        }
        var fresh = new List<JournalEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Txid != first + i)
            {
                throw Invalid($"append: txids are not contiguous: {entry.Txid} follows {entries[i - 1].Txid}");
            }
            if (entry.Op is null)
            {
                throw Invalid($"append: txid {entry.Txid} has no op");
            }
            if (entry.Epoch != 0 && entry.Epoch != epoch)
            {
                throw Invalid($"append: txid {entry.Txid} carries epoch {entry.Epoch} inside a batch of epoch {epoch}");
            }
            if (entry.Txid <= counters.LastTxid)
            {
                RequireSameAsJournaled(entry);
            }
            else
            {
                fresh.Add(entry);
            }
        }
        return fresh;
    }

    private void RequireSameAsJournaled(JournalEntry entry)
    {
        _commands.Transaction = null;
        var stored = _commands.Scalar("SELECT op FROM journal WHERE txid = $txid", ("$txid", entry.Txid)) as byte[];
        if (stored is null)
        {
            throw Invalid($"append: txid {entry.Txid} is already committed and trimmed from the journal; it cannot be compared");
        }
        if (!stored.AsSpan().SequenceEqual(entry.Op.ToByteArray()))
        {
            throw Invalid($"append: txid {entry.Txid} is already committed with a different op");
        }
    }

    private NamespaceCounters Commit(long epoch, List<JournalEntry> fresh, NamespaceCounters counters)
    {
        using var transaction = _writer.BeginTransaction();
        _commands.Transaction = transaction;
        var applier = new OpApplier(_commands);
        foreach (var entry in fresh)
        {
            _commands.Execute("INSERT INTO journal (txid, epoch, op) VALUES ($txid, $epoch, $op)",
                ("$txid", entry.Txid), ("$epoch", epoch), ("$op", entry.Op.ToByteArray()));
            try
            {
                applier.Apply(entry.Op);
            }
            catch (DfsException e)
            {
                throw new DfsException(e.Kind, $"append rejected, nothing applied: txid {entry.Txid} ({entry.Op.OpCase}): {e.Message}");
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
            {
                throw Invalid($"append rejected, nothing applied: txid {entry.Txid} ({entry.Op.OpCase}) violates {e.Message.Replace("SQLite Error 19: ", "", StringComparison.Ordinal)}");
            }
        }
        var updated = counters with
        {
            LastTxid = fresh.Count > 0 ? fresh[^1].Txid : counters.LastTxid,
            PromisedEpoch = Math.Max(counters.PromisedEpoch, epoch),
            LastInodeId = Math.Max(counters.LastInodeId, applier.MaxInodeId),
            LastBlockId = Math.Max(counters.LastBlockId, applier.MaxBlockId),
            LastGenerationStamp = Math.Max(counters.LastGenerationStamp, applier.MaxGenerationStamp),
        };
        WriteChangedMeta(counters, updated);
        transaction.Commit();
        return updated;
    }

    private void WriteChangedMeta(NamespaceCounters before, NamespaceCounters after)
    {
        if (after.LastTxid != before.LastTxid) WriteMeta(NamespaceSchema.LastTxid, after.LastTxid);
        if (after.PromisedEpoch != before.PromisedEpoch) WriteMeta(NamespaceSchema.PromisedEpoch, after.PromisedEpoch);
        if (after.LastInodeId != before.LastInodeId) WriteMeta(NamespaceSchema.LastInodeId, after.LastInodeId);
        if (after.LastBlockId != before.LastBlockId) WriteMeta(NamespaceSchema.LastBlockId, after.LastBlockId);
        if (after.LastGenerationStamp != before.LastGenerationStamp) WriteMeta(NamespaceSchema.LastGenerationStamp, after.LastGenerationStamp);
    }

    private void WriteMeta(string key, long value) =>
        _commands.Execute("UPDATE meta SET value = $value WHERE key = $key", ("$value", value), ("$key", key));

    private static DfsException Fenced(string what, long epoch, long promised, string? writerId) =>
        new(ErrorKind.Fenced,
            $"{what} with epoch {epoch}{(writerId is null ? "" : $" from {writerId}")} refused: epoch {promised} was promised to a newer writer (fenced)");

    private static DfsException Invalid(string message) => new(ErrorKind.InvalidArgument, message);

    public void Dispose()
    {
        _commands.Dispose();
        _writer.Dispose();
        using (var pooled = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(pooled); // release the file (readers' pooled connections), e.g. before a reopen
        }
        _writeLock.Dispose();
    }
}
