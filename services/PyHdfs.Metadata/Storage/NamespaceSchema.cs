using Microsoft.Data.Sqlite;

namespace PyHdfs.Metadata.Storage;

/// <summary>The tables, created on first start, and the seed: the root directory and the id counters.</summary>
internal static class NamespaceSchema
{
    public const long RootInodeId = 1;
    public const long FirstBlockId = 1L << 30;          // 1073741824: block ids the NameNode allocates start above it
    public const long FirstGenerationStamp = 1000;
    public const string SuperGroup = "supergroup";
    public const uint RootPermission = 0b111_101_101;   // 0755

    public const string LastTxid = "last_txid";
    public const string PromisedEpoch = "promised_epoch";
    public const string LastInodeId = "last_inode_id";
    public const string LastBlockId = "last_block_id";
    public const string LastGenerationStamp = "last_generation_stamp";

    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS journal (
            txid INTEGER PRIMARY KEY,
            epoch INTEGER NOT NULL,
            op BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS inodes (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            replication INTEGER NOT NULL,
            block_size INTEGER NOT NULL,
            under_construction INTEGER NOT NULL,
            client_name TEXT NOT NULL,
            owner TEXT NOT NULL,
            grp TEXT NOT NULL,
            permission INTEGER NOT NULL,
            atime INTEGER NOT NULL DEFAULT 0,
            reopened_blocks INTEGER NOT NULL DEFAULT -1,
            replace_from INTEGER NOT NULL DEFAULT -1,
            UNIQUE (parent_id, name)
        );
        CREATE TABLE IF NOT EXISTS blocks (
            block_id INTEGER PRIMARY KEY,
            inode_id INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            generation_stamp INTEGER NOT NULL,
            num_bytes INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS blocks_by_inode ON blocks (inode_id, idx);
        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        );
        """;

    /// <summary>Columns added after the first release (append, truncate, set times): a database created before gets them with their defaults.</summary>
    private static readonly (string Name, string Definition)[] LaterInodeColumns =
    [
        ("atime", "INTEGER NOT NULL DEFAULT 0"),
        ("reopened_blocks", "INTEGER NOT NULL DEFAULT -1"),
        ("replace_from", "INTEGER NOT NULL DEFAULT -1"),
    ];

    private static void AddMissingColumns(SqliteConnection connection, SqliteTransaction transaction)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = connection.CreateCommand())
        {
            info.Transaction = transaction;
            info.CommandText = "SELECT name FROM pragma_table_info('inodes')";
            using var reader = info.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(0));
            }
        }
        foreach (var (name, definition) in LaterInodeColumns.Where(c => !existing.Contains(c.Name)))
        {
            using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE inodes ADD COLUMN {name} {definition}";
            alter.ExecuteNonQuery();
        }
    }

    public static void CreateAndSeed(SqliteConnection connection, string superUser)
    {
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateTables;
            create.ExecuteNonQuery();
        }
        AddMissingColumns(connection, transaction);
        using (var seeded = connection.CreateCommand())
        {
            seeded.Transaction = transaction;
            seeded.CommandText = "SELECT COUNT(*) FROM meta";
            if ((long)seeded.ExecuteScalar()! > 0)
            {
                transaction.Commit();
                return;
            }
        }
        using (var seed = connection.CreateCommand())
        {
            seed.Transaction = transaction;
            seed.CommandText = """
                INSERT INTO inodes (id, parent_id, name, kind, mtime, replication, block_size, under_construction, client_name, owner, grp, permission)
                VALUES ($root, 0, '', 1, $now, 0, 0, 0, '', $owner, $group, $permission);
                INSERT INTO meta (key, value) VALUES
                    ('last_txid', 0), ('promised_epoch', 0), ('last_inode_id', $root),
                    ('last_block_id', $block), ('last_generation_stamp', $stamp);
                """;
            seed.Parameters.AddWithValue("$root", RootInodeId);
            seed.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            seed.Parameters.AddWithValue("$owner", superUser);
            seed.Parameters.AddWithValue("$group", SuperGroup);
            seed.Parameters.AddWithValue("$permission", RootPermission);
            seed.Parameters.AddWithValue("$block", FirstBlockId);
            seed.Parameters.AddWithValue("$stamp", FirstGenerationStamp);
            seed.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
