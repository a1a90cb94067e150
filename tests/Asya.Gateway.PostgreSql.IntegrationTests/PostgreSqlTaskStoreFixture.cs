using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.PostgreSql;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>PostgreSQL task stores, one schema per storage name.</summary>
public sealed class PostgreSqlTaskStoreFixture : ITaskStoreFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public async Task<ITaskStore> OpenAsync(string name) =>
        await PostgreSqlTaskStore.OpenAsync(await TestDatabase.SchemaAsync("asya_gw_" + name), Clock, logger: null, default);
}
