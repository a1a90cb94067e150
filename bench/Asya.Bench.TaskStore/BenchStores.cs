using Asya.Components.Abstractions;
using Asya.Components.PostgreSql;
using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.PostgreSql;
using Asya.Gateway.Tasks.Sqlite;
using Npgsql;

namespace Asya.Bench.TaskStore;

/// <summary>
/// A fresh store per run: a new SQLite file in a temp folder, or a new schema on the PostgreSQL of ASYA_TEST_POSTGRES;
/// disposing it removes the folder or the schema.
/// </summary>
internal sealed class BenchStores(ITaskStore store, Func<Task> remove) : IAsyncDisposable
{
    public ITaskStore Store => store;

    public static async Task<BenchStores> OpenAsync(string kind)
    {
        var name = "asya_bench_" + Guid.NewGuid().ToString("N")[..12];
        if (kind == "sqlite")
        {
            var folder = Path.Combine(Path.GetTempPath(), name);
            var sqlite = await SqliteTaskStore.OpenInDirectoryAsync(folder, TimeProvider.System, null, default);
            return new BenchStores(sqlite, () => Task.Run(() => Directory.Delete(folder, recursive: true)));
        }

        var url = Environment.GetEnvironmentVariable("ASYA_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("--store postgres needs ASYA_TEST_POSTGRES: eval \"$(deploy/local/services up postgres)\"");
        var connection = PostgreSqlComponentConnection.Read(ComponentSpec.Create("tasks", "state.postgresql", ("connectionString", url)));
        await ExecuteAsync(connection, $"CREATE SCHEMA {name}");
        var admin = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        connection.SearchPath = name;
        var postgres = await PostgreSqlTaskStore.OpenAsync(connection, TimeProvider.System, null, default);
        return new BenchStores(postgres, () => ExecuteAsync(admin, $"DROP SCHEMA {name} CASCADE"));
    }

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        await remove();
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection.ConnectionString);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync();
    }
}
