using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Asya.Components.Sqlite;

internal static class SqliteConnectionExtensions
{
    /// <summary>True when no transaction is open on the connection.</summary>
    public static bool AutoCommit(this SqliteConnection connection) => raw.sqlite3_get_autocommit(connection.Handle) != 0;
}
