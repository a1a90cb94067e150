using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing.Brokers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.PostgreSql.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrivatePostgreSqlGroup
{
    public const string Name = "PostgreSQL restarts";
}

/// <summary>
/// A private PostgreSQL (its own folder and port, never the shared instance) restarted under a running store. Needs
/// the server installed, so it runs where the shared one does.
/// </summary>
[Collection(PrivatePostgreSqlGroup.Name)]
public sealed class PostgreSqlRestartTests : IAsyncLifetime
{
    private const string Port = "15432";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly PrivateServices _server = new("/tmp/asya-svc-pg", new Dictionary<string, string> { ["ASYA_POSTGRES_PORT"] = Port });

    public async Task InitializeAsync()
    {
        PostgreSqlTestEnvironment.RequireConnectionString();
        await _server.UpAsync("postgres");
    }

    public Task DisposeAsync() => _server.DownAsync("postgres");

    [Fact]
    public async Task Restart_SameStoreRecoversAndNothingCommittedIsLost()
    {
        await using var store = new PostgreSqlStateStore(TimeProvider.System, NullLogger<PostgreSqlStateStore>.Instance);
        await store.InitAsync(
            ComponentSpec.Create(
                "results", "state.postgresql", ("connectionString", $"postgres://asya:asya@127.0.0.1:{Port}/asya"),
                ("tableName", PostgreSqlStateStoreTests.NewTable()), ("timeout", "5s")),
            default);
        var keys = Enumerable.Range(0, 20).Select(i => $"k{i}").ToList();
        var etags = new List<string>();
        foreach (var key in keys)
        {
            etags.Add(await store.SetAsync(new StateSetRequest(key, Encoding.UTF8.GetBytes(key)), default));
        }

        await _server.RestartAsync("postgres");

        // Connections pooled before the restart are dead; a call that meets one fails (never reports a lost write as
        // done), so the caller tries again until a deadline, as the sidecar and the gateway do.
        var entries = await RetryWhileServerComesBackAsync(() => store.GetBulkAsync(keys, default).AsTask());
        Assert.Equal(etags, entries.Select(e => e?.ETag));
        Assert.Equal(keys, entries.Select(e => Encoding.UTF8.GetString(e!.Value.Span)));
        var next = await RetryWhileServerComesBackAsync(
            () => store.SetAsync(new StateSetRequest("k0", Encoding.UTF8.GetBytes("after")) { ETag = etags[0] }, default).AsTask());
        Assert.Equal(next, (await store.GetAsync("k0", default))?.ETag);
    }

    private static async Task<T> RetryWhileServerComesBackAsync<T>(Func<Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Npgsql.NpgsqlException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
        }
    }
}
