using System.Globalization;
using Asya.Components.Sqlite;

namespace Asya.Gateway.Tasks.Sqlite;

/// <summary>
/// Versioned migrations, applied at open inside one <c>BEGIN IMMEDIATE</c> transaction, so two processes opening the
/// file at once apply each step once, and a crash mid-way leaves the previous version. Append steps; never edit one.
/// </summary>
internal static class SqliteTaskSchema
{
    public const string VersionTable = "CREATE TABLE IF NOT EXISTS task_schema_version (version INTEGER NOT NULL);";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE tasks (
            id TEXT NOT NULL PRIMARY KEY,
            parent_id TEXT,
            flow TEXT,
            status TEXT NOT NULL,
            route TEXT NOT NULL,
            payload TEXT,
            result TEXT,
            error TEXT,
            progress REAL NOT NULL,
            actor TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deadline INTEGER,
            remaining_ticks INTEGER,
            pause_metadata TEXT,
            seq INTEGER NOT NULL
        );
        CREATE INDEX tasks_newest ON tasks (created_at DESC, id DESC);
        CREATE INDEX tasks_status_newest ON tasks (status, created_at DESC, id DESC);
        CREATE INDEX tasks_flow_newest ON tasks (flow, created_at DESC, id DESC);
        CREATE INDEX tasks_deadline ON tasks (deadline) WHERE deadline IS NOT NULL AND status IN ('pending', 'running');
        CREATE TABLE task_updates (
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            progress REAL NOT NULL,
            actor TEXT,
            message TEXT,
            time INTEGER NOT NULL,
            PRIMARY KEY (task_id, seq)
        ) WITHOUT ROWID;
        """,
    ];

    public static int Latest => Migrations.Length;

    /// <summary>Returns the version found and the version now in place.</summary>
    public static (int From, int To) Migrate(PooledConnection connection)
    {
        var stored = connection.Command("SELECT max(version) FROM task_schema_version;").ExecuteScalar();
        var from = stored is null or DBNull ? 0 : Convert.ToInt32(stored, CultureInfo.InvariantCulture);
        if (from > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"the task store is at schema version {from}, newer than this gateway's {Migrations.Length}; run a newer gateway");
        }

        for (var version = from; version < Migrations.Length; version++)
        {
            connection.Execute(Migrations[version]);
        }

        if (from < Migrations.Length)
        {
            connection.Execute("DELETE FROM task_schema_version;");
            connection.Execute(string.Create(CultureInfo.InvariantCulture, $"INSERT INTO task_schema_version (version) VALUES ({Migrations.Length});"));
        }

        return (from, Math.Max(from, Migrations.Length));
    }
}
