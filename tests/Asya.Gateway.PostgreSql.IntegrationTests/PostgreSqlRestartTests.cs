using System.Text.Json.Nodes;
using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.PostgreSql;
using Asya.Testing;
using Asya.Testing.Brokers;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrivatePostgreSqlGroup
{
    public const string Name = "PostgreSQL restarts";
}

/// <summary>
/// A private PostgreSQL (its own folder and port, never the shared instance) stopped and started under a running store
/// and two hubs. Needs the server installed, so it runs where the shared one does.
/// </summary>
[Collection(PrivatePostgreSqlGroup.Name)]
public sealed class PostgreSqlRestartTests : IAsyncLifetime
{
    private const string Port = "15442";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly PrivateServices _server = new("/tmp/asya-svc-pg-gateway", new Dictionary<string, string> { ["ASYA_POSTGRES_PORT"] = Port });

    public async Task InitializeAsync()
    {
        TestDatabase.Server.RequireEndpoint();
        await _server.UpAsync("postgres");
    }

    public Task DisposeAsync() => _server.DownAsync("postgres");

    [Fact]
    public async Task Outage_StoreFailsClearlyThenWorksAndHubsListenAgain()
    {
        var connection = await TestDatabase.SchemaAsync("asya_gw_restart", $"postgres://asya:asya@127.0.0.1:{Port}/asya");
        await using var store = await PostgreSqlTaskStore.OpenAsync(connection, TimeProvider.System, logger: null, default);
        await using var a = await PostgreSqlTaskEventHub.StartAsync(connection, logger: null, default);
        await using var b = await PostgreSqlTaskEventHub.StartAsync(connection, logger: null, default);
        var id = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await store.CreateAsync(new NewTask { Id = id, Route = Runtime.Protocol.Route.Start(["x", "y"]) }, default);
        using var subscription = a.Subscribe(id);

        await _server.DownAsync("postgres");
        var during = await Assert.ThrowsAsync<TaskStoreUnavailableException>(
            () => store.ApplyReportAsync(id, new TaskReport { Status = TaskReportStatus.Received, Route = Runtime.Protocol.Route.Start(["x", "y"]) }, default));
        await Assert.ThrowsAsync<TaskStoreUnavailableException>(() => b.PublishAsync(TaskEvent.ForFly(id, "x", JsonValue.Create(0)), default).AsTask());
        await _server.UpAsync("postgres");

        Assert.Contains($"127.0.0.1:{Port}/asya", during.Message, StringComparison.Ordinal);
        // Pooled connections broken by the restart fail once each (clearly); callers retry, as the gateway's do.
        var change = await Eventually.GetAsync(
            () => RetryAsync(() => store.ApplyReportAsync(
                id, new TaskReport { Status = TaskReportStatus.Received, Route = Runtime.Protocol.Route.Start(["x", "y"]) }, default)),
            Patience, "the store to work again after the restart");
        Assert.Equal(TaskChangeOutcome.Applied, change.Outcome);
        Assert.Equal(2, (await store.GetUpdatesAsync(id, 0, default)).Count);

        // Hub A listens again: B publishes until one event reaches A's subscriber (events during the reconnect are missed).
        var received = await Eventually.GetAsync(
            async () =>
            {
                await RetryAsync(async () => { await b.PublishAsync(TaskEvent.ForUpdate(change.Update!), default); return change; });
                return subscription.Events.TryRead(out var e) ? e : null;
            },
            Patience, "hub A to receive hub B's event after the restart");
        Assert.Equal(change.Update, received.Update);
    }

    private static async Task<T?> RetryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (TaskStoreUnavailableException)
        {
            return null;
        }
    }
}
