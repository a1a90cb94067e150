using System.Collections.Concurrent;
using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.Sqlite.Tests;

public sealed class SqliteTransportTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Receive_SendFromIndependentTransportOnSameFile_FoundByPolling()
    {
        // Two instances share nothing but the file, as two processes would: no in-process wake-up between them.
        await using var consumer = await CreateAsync(TimeProvider.System, shareSignals: false);
        await using var producer = await CreateAsync(TimeProvider.System, shareSignals: false);

        var receiving = consumer.ReceiveAsync("q", new ReceiveOptions(1, Patience), default).AsTask();
        await producer.SendAsync("q", Message("from elsewhere"), default);

        var message = Assert.Single(await receiving);
        Assert.Equal("from elsewhere", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task Receive_LongPollIntervalSendFromOtherTransport_WokenByWalWatcher()
    {
        // Both on a fake clock that never moves: no poll can find the send, and the two share no in-process signal, so
        // only the WAL watcher can end this receive.
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UtcNow);
        var path = _folder.Combine("watched.db");
        await using var consumer = new SqliteTransport(time, NullLogger<SqliteTransport>.Instance, shareSignals: false);
        await consumer.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("path", path), ("pollInterval", "10m")), default);
        await using var producer = await CreateAsync(time, path, shareSignals: false);
        var before = time.TimersCreated;

        var receiving = consumer.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.FromMinutes(5)), default).AsTask();
        // The receiver counts itself idle (which turns the watcher on) just before it waits on the clock.
        await time.WaitForTimerAsync(before, _ => true, Patience);
        Assert.Equal(1, consumer.IdleReceivers);
        await producer.SendAsync("q", Message("wake up"), default);

        Assert.Single(await receiving.WaitAsync(Patience));
        Assert.True(consumer.WalChanges > 0);
        Assert.Equal(0, consumer.IdleReceivers);
    }

    [Fact]
    public async Task Receive_LongPollIntervalSendFromOtherInstanceInProcess_WokenBySharedSignal()
    {
        // No poll and no WAL watcher can wake this receiver within the test: only the process-wide signal can.
        var path = _folder.Combine("shared.db");
        await using var consumer = await CreateAsync(TimeProvider.System, path, pollInterval: "10m", watchWal: false);
        await using var producer = await CreateAsync(TimeProvider.System, Path.Combine(_folder.Path, ".", "shared.db"));
        Assert.Empty(await consumer.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.Zero), default));

        var receiving = consumer.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.FromMinutes(10)), default).AsTask();
        await producer.SendAsync("q", Message("wake up"), default);

        var message = Assert.Single(await receiving.WaitAsync(Patience));
        Assert.Equal("wake up", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task Receive_LongPollIntervalNackFromOtherInstanceInProcess_WokenBySharedSignal()
    {
        var path = _folder.Combine("shared-nack.db");
        await using var producer = await CreateAsync(TimeProvider.System, path);
        await using var consumer = await CreateAsync(TimeProvider.System, path, pollInterval: "10m", watchWal: false);
        await producer.SendAsync("q", Message("again"), default);
        var first = Assert.Single(await producer.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.Zero), default));

        var receiving = consumer.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.FromMinutes(10)), default).AsTask();
        await producer.NackAsync(first, TimeSpan.Zero, default);

        var message = Assert.Single(await receiving.WaitAsync(Patience));
        Assert.Equal(2, message.DeliveryCount);
    }

    [Fact]
    public async Task Receive_ManyConsumersOnTwoTransports_EachMessageOnce()
    {
        const int Count = 2000;
        await using var first = await CreateAsync(TimeProvider.System);
        await using var second = await CreateAsync(TimeProvider.System);
        for (var i = 0; i < Count; i++)
        {
            await (i % 2 == 0 ? first : second).SendAsync("q", Message($"m{i}"), default);
        }

        var seen = new ConcurrentDictionary<string, int>();
        async Task ConsumeAsync(ITransport transport)
        {
            while (true)
            {
                var batch = await transport.ReceiveAsync("q", new ReceiveOptions(10, TimeSpan.FromMilliseconds(300)), default);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    seen.AddOrUpdate(Encoding.UTF8.GetString(message.Body.Span), 1, (_, n) => n + 1);
                    await transport.AckAsync(message, default);
                }
            }
        }

        await Task.WhenAll(new[] { first, first, second, second }.Select(t => Task.Run(() => ConsumeAsync(t))));

        Assert.Equal(Count, seen.Count);
        Assert.All(seen, s => Assert.Equal(1, s.Value));
    }

    [Fact]
    public async Task Ack_AfterLeaseExpiredAndReclaimed_DoesNotDeleteNewDelivery()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var transport = await CreateAsync(time);
        await transport.SendAsync("q", Message("x"), default);
        var options = new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var stale = Assert.Single(await transport.ReceiveAsync("q", options, default));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await transport.ReceiveAsync("q", options, default));
        time.Advance(TimeSpan.FromSeconds(2));
        var current = Assert.Single(await transport.ReceiveAsync("q", options, default));

        await transport.AckAsync(stale, default);
        await transport.NackAsync(stale, TimeSpan.Zero, default);
        await ((ILeaseExtender)transport).ExtendLeaseAsync(stale, TimeSpan.Zero, default);

        var depth = (IQueueDepthSource)transport;
        Assert.Equal(new QueueDepth(0, 1, 0), await depth.GetQueueDepthAsync("q", default));
        Assert.Equal(2, current.DeliveryCount);
        await transport.AckAsync(current, default);
        Assert.Equal(default, await depth.GetQueueDepthAsync("q", default));
    }

    [Fact]
    public async Task Send_TransportReopened_MessageSurvives()
    {
        await using (var before = await CreateAsync(TimeProvider.System))
        {
            await before.SendAsync("q", Message("durable") with { Headers = new Dictionary<string, string> { ["h"] = "v" } }, default);
        }

        await using var after = await CreateAsync(TimeProvider.System);
        var message = Assert.Single(await after.ReceiveAsync("q", new ReceiveOptions(1, Patience), default));

        Assert.Equal("durable", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal("v", message.Headers["h"]);
    }

    [Fact]
    public async Task InitAsync_NewFolder_CreatesItAndSwitchesToWal()
    {
        var path = _folder.Combine("a", "b", "queues.db");
        await using var transport = new SqliteTransport(TimeProvider.System, NullLogger<SqliteTransport>.Instance);

        await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.sqlite", ("connectionString", path)), default);

        Assert.True(File.Exists(path));
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Receive_MessagesForOtherQueues_NotReturned()
    {
        await using var transport = await CreateAsync(TimeProvider.System);
        await transport.SendAsync("a", Message("for a"), default);

        Assert.Empty(await transport.ReceiveAsync("b", new ReceiveOptions(10, TimeSpan.Zero), default));
        Assert.Single(await transport.ReceiveAsync("a", new ReceiveOptions(10, TimeSpan.Zero), default));
    }

    [Fact]
    public async Task AckAsync_ForeignMessage_Throws()
    {
        await using var transport = await CreateAsync(TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(async () => await transport.AckAsync(new ForeignMessage(), default));
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<ITransport> CreateAsync(
        TimeProvider time, string? path = null, bool shareSignals = true, string pollInterval = "50ms", bool watchWal = true)
    {
        var transport = new SqliteTransport(time, NullLogger<SqliteTransport>.Instance, shareSignals, watchWal);
        await transport.InitAsync(
            ComponentSpec.Create("queues", "pubsub.sqlite", ("path", path ?? _folder.Combine("queues.db")), ("pollInterval", pollInterval)),
            default);
        return transport;
    }

    private sealed class ForeignMessage : TransportMessage
    {
        [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
        public ForeignMessage()
        {
            Id = "1";
            Queue = "q";
            Body = ReadOnlyMemory<byte>.Empty;
        }
    }
}
