using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.PostgreSql;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>PostgreSQL task stores, one schema per storage name, dropped when the test class is done.</summary>
public sealed class PostgreSqlTaskStoreFixture : ITaskStoreFixture, IAsyncLifetime
{
    private readonly HashSet<string> _schemas = [];

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public async Task<ITaskStore> OpenAsync(string name)
    {
        var schema = "asya_gw_" + name;
        lock (_schemas)
        {
            _schemas.Add(schema);
        }

        return await PostgreSqlTaskStore.OpenAsync(await TestDatabase.SchemaAsync(schema), Clock, logger: null, default);
    }

    public async Task<IReadOnlyList<string>> ReadStoredKindsAsync(string name, string taskId)
    {
        await using var connection = new NpgsqlConnection((await TestDatabase.SchemaAsync("asya_gw_" + name)).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT kind FROM asya_gateway_task_updates WHERE task_id = $1 ORDER BY seq", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = taskId });
        await using var reader = await command.ExecuteReaderAsync();
        var kinds = new List<string>();
        while (await reader.ReadAsync())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await TestDatabase.DropSchemaAsync(schema);
        }
    }
}
