using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing.Brokers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>What the compliance suite does not cover: Dapr's rows, the sweep, and the schema set-up racing with itself.</summary>
public sealed class PostgreSqlStateStoreTests
{
    [Fact]
    public async Task Get_RowWrittenByDapr_ReadsAndUpdatesWithItsETag()
    {
        var table = NewTable();
        await using var store = await CreateAsync(TimeProvider.System, ("tableName", table));
        await using (var connection = await PostgreSqlTestEnvironment.OpenAsync())
        {
            // Dapr v2's own statement: etag and times from the server.
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {table} (key, value, etag, expires_at) VALUES ('dapr', '\"hello\"'::bytea, gen_random_uuid(), now() + interval '1 hour'), "
                + "('old', 'x'::bytea, gen_random_uuid(), now() - interval '1 second')",
                connection);
            await insert.ExecuteNonQueryAsync();
        }

        var entry = await store.GetAsync("dapr", default);
        Assert.NotNull(entry);
        Assert.Equal("\"hello\"", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.True(Guid.TryParse(entry.ETag, out _));
        Assert.InRange(entry.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(70));
        Assert.Null(await store.GetAsync("old", default));

        var next = await store.SetAsync(new StateSetRequest("dapr", Encoding.UTF8.GetBytes("\"bye\"")) { ETag = entry.ETag }, default);
        Assert.NotEqual(entry.ETag, next);
        await Assert.ThrowsAsync<ETagMismatchException>(async () => await store.DeleteAsync("dapr", "not-a-uuid", default));
    }

    [Fact]
    public async Task CleanupInterval_Elapsed_DeletesExpiredRowsWhichReadsAlreadyHid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = NewTable();
        await using var store = await CreateAsync(time, ("tableName", table), ("cleanupInterval", "1m"));
        await store.SetAsync(new StateSetRequest("gone", new byte[] { 1 }) { Ttl = TimeSpan.FromSeconds(30) }, default);
        await store.SetAsync(new StateSetRequest("kept", new byte[] { 1 }), default);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await store.GetAsync("gone", default));
        Assert.Equal(2, await CountRowsAsync(table));

        time.Advance(TimeSpan.FromSeconds(30));
        await store.Sweep;
        Assert.Equal(1, await CountRowsAsync(table));
        Assert.NotNull(await store.GetAsync("kept", default));
    }

    [Fact]
    public async Task CleanupInterval_AnotherProcessSweptWithinTheInterval_NoSecondSweep()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = NewTable();
        await using var often = await CreateAsync(time, ("tableName", table), ("cleanupInterval", "1m"));
        await using var seldom = await CreateAsync(time, ("tableName", table), ("cleanupInterval", "90s"));
        time.Advance(TimeSpan.FromMinutes(1));
        await often.Sweep;
        var recorded = await LastCleanupAsync(table);
        await often.SetAsync(new StateSetRequest("gone", new byte[] { 1 }) { Ttl = TimeSpan.FromSeconds(1) }, default);

        // 90s after start the seldom store ticks, but the last sweep was only 30s ago: less than its interval.
        time.Advance(TimeSpan.FromSeconds(30));
        await seldom.Sweep;
        Assert.NotNull(recorded);
        Assert.Equal(recorded, await LastCleanupAsync(table));
        Assert.Equal(1, await CountRowsAsync(table));

        time.Advance(TimeSpan.FromSeconds(30));
        await often.Sweep;
        Assert.Equal(0, await CountRowsAsync(table));
    }

    [Fact]
    public async Task InitAsync_SeveralProcessesAtOnce_CreateTheSchemaOnce()
    {
        var table = NewTable();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => CreateAsync(TimeProvider.System, ("tableName", table)))));
        try
        {
            var etag = await stores[0].SetAsync(new StateSetRequest("k", new byte[] { 1 }), default);
            Assert.Equal(etag, (await stores[5].GetAsync("k", default))?.ETag);
            await using var connection = await PostgreSqlTestEnvironment.OpenAsync();
            await using var version = new NpgsqlCommand("SELECT value FROM dapr_metadata WHERE key = $1", connection) { Parameters = { new() { Value = "asya-migrations-state-" + table } } };
            Assert.Equal("1", await version.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task InitAsync_WrongPassword_ErrorNamesServerAndUserButNotPassword()
    {
        const string Password = "wr0ng-Pa55word";
        var url = new Uri(PostgreSqlTestEnvironment.RequireConnectionString());
        var store = new PostgreSqlStateStore(TimeProvider.System, NullLogger<PostgreSqlStateStore>.Instance);
        await using (store)
        {
            var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await store.InitAsync(
                ComponentSpec.Create("results", "state.postgresql", ("connectionString", $"host={url.Host} port={url.Port} user=asya dbname=asya password={Password}")),
                default));

            Assert.Contains("'results'", error.Message, StringComparison.Ordinal);
            Assert.Contains($"{url.Host}:{url.Port}/asya as asya", error.Message, StringComparison.Ordinal);
            Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        }
    }

    [BrokerFree]
    [Fact]
    public async Task InitAsync_UnreachableServer_ErrorNamesServerButNotPassword()
    {
        const string Password = "s3cret-Pa55word";
        await using var store = new PostgreSqlStateStore(TimeProvider.System, NullLogger<PostgreSqlStateStore>.Instance);

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await store.InitAsync(
            ComponentSpec.Create("results", "state.postgresql", ("connectionString", $"postgres://app:{Password}@127.0.0.1:1/db"), ("timeout", "2s")),
            default));

        Assert.Contains("'results'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1/db as app", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    internal static string NewTable() => "asya_test_" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<PostgreSqlStateStore> CreateAsync(TimeProvider time, params (string Key, string Value)[] metadata)
    {
        var store = new PostgreSqlStateStore(time, NullLogger<PostgreSqlStateStore>.Instance);
        await store.InitAsync(
            ComponentSpec.Create("results", "state.postgresql", [("connectionString", PostgreSqlTestEnvironment.RequireConnectionString()), .. metadata]),
            default);
        return store;
    }

    private static async Task<long> CountRowsAsync(string table)
    {
        await using var connection = await PostgreSqlTestEnvironment.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> LastCleanupAsync(string table)
    {
        await using var connection = await PostgreSqlTestEnvironment.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM dapr_metadata WHERE key = $1", connection)
        {
            Parameters = { new() { Value = "asya-last-cleanup-state-" + table } },
        };
        return await command.ExecuteScalarAsync() as string;
    }
}
