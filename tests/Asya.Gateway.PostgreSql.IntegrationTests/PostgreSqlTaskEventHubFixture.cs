using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.Compliance;
using Asya.Gateway.Tasks.PostgreSql;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>Two hubs on one PostgreSQL, as two gateway replicas have them.</summary>
public sealed class PostgreSqlTaskEventHubFixture : ITaskEventHubFixture
{
    public async Task<(ITaskEventHub A, ITaskEventHub B)> CreatePeersAsync(int flyCapacity)
    {
        var connection = await TestDatabase.SchemaAsync("asya_gw_hub");
        var a = await PostgreSqlTaskEventHub.StartAsync(connection, logger: null, default, flyCapacity);
        try
        {
            return (a, await PostgreSqlTaskEventHub.StartAsync(connection, logger: null, default, flyCapacity));
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }
}
