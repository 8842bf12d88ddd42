using Microsoft.Data.Sqlite;

namespace PyHdfs.Metadata.Storage;

/// <summary>
/// One prepared command per SQL text on the writer connection: a SqliteCommand keeps its compiled
/// statement while its text is unchanged, so the hot append path does not re-parse SQL.
/// </summary>
internal sealed class SqliteCommandCache(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteTransaction? Transaction { get; set; }

    public int Execute(string sql, params (string Name, object Value)[] parameters) => Prepare(sql, parameters).ExecuteNonQuery();

    public object? Scalar(string sql, params (string Name, object Value)[] parameters) => Prepare(sql, parameters).ExecuteScalar();

    public SqliteCommand Prepare(string sql, (string Name, object Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Transaction = Transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
