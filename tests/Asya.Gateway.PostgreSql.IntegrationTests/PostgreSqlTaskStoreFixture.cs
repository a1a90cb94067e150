using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.PostgreSql;
using Microsoft.Extensions.Time.Testing;

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

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await TestDatabase.DropSchemaAsync(schema);
        }
    }
}
