using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.PostgreSql;
using Npgsql;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>What only the PostgreSQL store has: replicas migrating one database at once.</summary>
public sealed class PostgreSqlTaskStoreTests
{
    [Fact]
    public async Task Open_ReplicasStartingAtOnce_MigrateOnceAndAllWork()
    {
        var schema = "asya_gw_" + Guid.NewGuid().ToString("N")[..12];
        var connection = await TestDatabase.SchemaAsync(schema);

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => PostgreSqlTaskStore.OpenAsync(connection, TimeProvider.System, logger: null, default))));
        try
        {
            await Task.WhenAll(stores.Select((store, i) => store.CreateAsync(
                new NewTask { Id = $"t{i}", Route = Runtime.Protocol.Route.Start(["x"]) }, default)));

            Assert.Equal(4, (await stores[0].ListAsync(new TaskQuery(), default)).Total);
            await using var check = new NpgsqlConnection(connection.ConnectionString);
            await check.OpenAsync();
            await using var versions = new NpgsqlCommand("SELECT array_agg(version) FROM asya_gateway_schema_version", check);
            var stored = (int[])(await versions.ExecuteScalarAsync())!;
            Assert.Equal(new[] { 1 }, stored);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            await TestDatabase.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Open_NoServer_FailsClearly()
    {
        var connection = TestDatabase.Connection("postgres://asya:asya@127.0.0.1:1/asya");

        var error = await Assert.ThrowsAsync<TaskStoreUnavailableException>(
            () => PostgreSqlTaskStore.OpenAsync(connection, TimeProvider.System, logger: null, default));

        Assert.Contains("127.0.0.1:1/asya as asya is unavailable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
