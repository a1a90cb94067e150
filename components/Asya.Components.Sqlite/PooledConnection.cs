using Microsoft.Data.Sqlite;

namespace Asya.Components.Sqlite;

/// <summary>An open connection with its prepared commands, reused through <see cref="SqliteDatabase"/>'s pool.</summary>
public sealed class PooledConnection(SqliteConnection connection, int commandTimeoutSeconds) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>
    /// The cached command for <paramref name="sql"/> with its parameters created once; callers set values by index.
    /// Microsoft.Data.Sqlite keeps a command's compiled statements while its text is unchanged, so reuse skips parsing.
    /// </summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = commandTimeoutSeconds;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }

            _commands[sql] = command;
        }

        return command;
    }

    public int Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        connection.Dispose();
    }
}
