using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task SetAsync_FileSharedWithTransport_BothWork()
    {
        var path = _folder.Combine("asya.db");
        await using var transport = (ITransport)new SqliteTransportFactory().Create(new TestServices());
        await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("path", path)), default);
        await using var store = await CreateAsync(TimeProvider.System, ("connectionString", path));

        await transport.SendAsync("q", new OutgoingMessage(new byte[] { 1 }), default);
        await store.SetAsync(new StateSetRequest("k", Encoding.UTF8.GetBytes("v")), default);

        Assert.Single(await transport.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.Zero), default));
        Assert.Equal("v", Encoding.UTF8.GetString((await store.GetAsync("k", default))!.Value.Span));
    }

    [Fact]
    public async Task GetAsync_RowWrittenInDaprLayout_Readable()
    {
        var path = _folder.Combine("dapr.db");
        await using (var store = await CreateAsync(TimeProvider.System, ("connectionString", path), ("tableName", "dapr_state")))
        {
        }

        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO dapr_state (key, value, is_binary, etag, expiration_time, update_time)
                VALUES ('text', '{"a":1}', 0, 'e1', NULL, CURRENT_TIMESTAMP),
                       ('bin', 'AAH/', 1, 'e2', datetime('now', '+1 hour'), CURRENT_TIMESTAMP),
                       ('old', 'x', 0, 'e3', datetime('now', '-1 hour'), CURRENT_TIMESTAMP);
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var reopened = await CreateAsync(TimeProvider.System, ("connectionString", path), ("tableName", "dapr_state"));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await reopened.GetAsync("text", default))!.Value.Span));
        var binary = await reopened.GetAsync("bin", default);
        Assert.Equal(new byte[] { 0, 1, 255 }, binary!.Value.ToArray());
        Assert.NotNull(binary.ExpiresAt);
        Assert.Null(await reopened.GetAsync("old", default));
    }

    [Fact]
    public async Task CleanupInterval_Elapsed_DeletesExpiredRows()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var path = _folder.Combine("ttl.db");
        // The sweep runs on the timer's thread and says when it is done only in its log line.
        var swept = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new CallbackLogger<SqliteStateStore>(line =>
        {
            if (line.Contains("expired entries", StringComparison.Ordinal))
            {
                swept.TrySetResult(line);
            }
        });
        await using var store = await CreateAsync(time, logger, ("connectionString", path), ("cleanupInterval", "1m"));
        await store.SetAsync(new StateSetRequest("gone", new byte[] { 1 }) { Ttl = TimeSpan.FromSeconds(30) }, default);
        await store.SetAsync(new StateSetRequest("kept", new byte[] { 1 }), default);
        Assert.Equal(2, await CountRowsAsync(path));

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("State store 'results' removed 1 expired entries", await swept.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(1, await CountRowsAsync(path));
        Assert.NotNull(await store.GetAsync("kept", default));
    }

    [Fact]
    public async Task InitAsync_InMemoryDatabase_Works()
    {
        await using var store = await CreateAsync(TimeProvider.System, ("connectionString", ":memory:"));

        var etag = await store.SetAsync(new StateSetRequest("k", new byte[] { 1 }), default);

        Assert.Equal(etag, (await store.GetAsync("k", default))?.ETag);
    }

    private static async Task<long> CountRowsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM state;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task<IStateStore> CreateAsync(TimeProvider time, params (string Key, string Value)[] metadata) =>
        CreateAsync(time, NullLogger<SqliteStateStore>.Instance, metadata);

    private static async Task<IStateStore> CreateAsync(TimeProvider time, ILogger<SqliteStateStore> logger, params (string Key, string Value)[] metadata)
    {
        var store = new SqliteStateStore(time, logger);
        await store.InitAsync(ComponentSpec.Create("results", "state.sqlite", metadata), default);
        return store;
    }
}
