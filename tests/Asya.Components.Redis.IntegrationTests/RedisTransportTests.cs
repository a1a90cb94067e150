using System.Diagnostics;
using System.Text;
using Asya.Components.Abstractions;
using StackExchange.Redis;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>What the compliance suite cannot see: the Redis keys, Dapr's entry layout, reclaim between consumers.</summary>
public sealed class RedisTransportTests(RedisTransportFixture fixture) : IClassFixture<RedisTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Receive_CrashedConsumersEntryAfterProcessingTimeout_ClaimedByAnotherConsumerWithCountTwo()
    {
        var processingTimeout = TimeSpan.FromMilliseconds(300);
        var queue = fixture.NewQueueName();
        var first = (RedisStreamsTransport)await fixture.CreateTransportAsync(("processingTimeout", "300ms"));
        await first.SendAsync(queue, Message("job"), default);
        // Started before the receive that begins the lease, so the measured time is never shorter than the lease lasted.
        var clock = Stopwatch.StartNew();
        var taken = Assert.Single(await first.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        var crashedConsumer = first.ConsumerName;
        await first.DisposeAsync();

        await using var second = (RedisStreamsTransport)await fixture.CreateTransportAsync(("processingTimeout", "300ms"));
        var again = Assert.Single(await second.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));

        Assert.True(clock.Elapsed >= processingTimeout - ClockSlack, $"claimed after {clock.Elapsed}, before processingTimeout {processingTimeout}");
        Assert.Equal(1, taken.DeliveryCount);
        Assert.Equal(2, again.DeliveryCount);
        Assert.Equal(taken.Id, again.Id);
        Assert.NotEqual(crashedConsumer, second.ConsumerName);
        var pending = Assert.Single(await (await fixture.AdminAsync()).StreamPendingMessagesAsync(queue, "asya", 10, RedisValue.Null));
        Assert.Equal(second.ConsumerName, (string?)pending.ConsumerName);
        Assert.Equal(2, pending.DeliveryCount);
    }

    [Fact]
    public async Task Send_AnnouncesTheEntryOnTheQueueWakeChannel()
    {
        // Receivers wait on this channel instead of sleeping out their poll backoff; without it a hop costs a poll.
        var queue = fixture.NewQueueName();
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = await fixture.SubscriberAsync();
        await subscriber.SubscribeAsync(RedisChannel.Literal(queue + ":wake"), (_, _) => announced.TrySetResult());
        await using var transport = await fixture.CreateTransportAsync();

        await transport.SendAsync(queue, Message("job"), default);

        await announced.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Receive_ForeignPendingEntryWithoutLease_SweptAfterProcessingTimeout()
    {
        // A consumer that is not ours (a Dapr sidecar, say) read the entry and died: there is no lease record, so
        // only the processingTimeout sweep over XPENDING can find it.
        var queue = fixture.NewQueueName();
        var admin = await fixture.AdminAsync();
        await admin.StreamCreateConsumerGroupAsync(queue, "asya", "0-0", createStream: true);
        await admin.StreamAddAsync(queue, "data", "from dapr");
        var clock = Stopwatch.StartNew(); // before the read that starts the entry's idle time
        var read = await admin.StreamReadGroupAsync(queue, "asya", "dapr-sidecar", ">", count: 1);
        Assert.Single(read);

        await using var transport = await fixture.CreateTransportAsync(("processingTimeout", "300ms"), ("redeliverInterval", "50ms"));
        var message = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300) - ClockSlack, $"swept after {clock.Elapsed}");
        Assert.Equal("from dapr", Text(message));
        Assert.Equal(2, message.DeliveryCount);
        await transport.AckAsync(message, default);
        Assert.Equal(0, await admin.StreamLengthAsync(queue));
    }

    [Fact]
    public async Task Send_WithDelay_ParkedInSortedSetThenMovedIntoStream()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var admin = await fixture.AdminAsync();
        var queue = fixture.NewQueueName();

        // Due times come from the server's clock (TIME in the script), so they are checked against it, not this machine's.
        var before = await ServerMillisecondsAsync(admin);
        await transport.SendAsync(queue, Message("later") with { Delay = TimeSpan.FromSeconds(1) }, default);
        var after = await ServerMillisecondsAsync(admin);

        var parked = Assert.Single(await admin.SortedSetRangeByRankWithScoresAsync(queue + ":delayed"));
        Assert.InRange(parked.Score, before + 1_000, after + 1_000);
        Assert.True(await admin.KeyExistsAsync($"{queue}:delayed:{parked.Element}"), "the delayed message's fields live in their own hash");
        Assert.Equal(0, await admin.StreamLengthAsync(queue));

        var message = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));

        Assert.Equal("later", Text(message));
        Assert.Equal(0, await admin.SortedSetLengthAsync(queue + ":delayed"));
        Assert.False(await admin.KeyExistsAsync($"{queue}:delayed:{parked.Element}"));
    }

    [Fact]
    public async Task Send_Headers_StoredAsDaprDataAndMetadataFields()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();

        await transport.SendAsync(queue, Message("body") with { Headers = new Dictionary<string, string> { ["k"] = "v" } }, default);

        var entry = Assert.Single(await (await fixture.AdminAsync()).StreamRangeAsync(queue));
        Assert.Equal("body", (string?)entry["data"]);
        Assert.Equal("{\"k\":\"v\"}", (string?)entry["metadata"]);
    }

    [Fact]
    public async Task Nack_WithoutDelay_ReAddsEntryWithPriorDeliveriesAndDeletesOld()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var admin = await fixture.AdminAsync();
        var queue = fixture.NewQueueName();
        await transport.SendAsync(queue, Message("retry me"), default);
        var first = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience, TimeSpan.FromMinutes(1)), default));

        await transport.NackAsync(first, TimeSpan.Zero, default);

        var entry = Assert.Single(await admin.StreamRangeAsync(queue));
        Assert.NotEqual(first.Id, (string?)entry.Id);
        Assert.Equal("1", (string?)entry["priorDeliveries"]);
        Assert.Equal(0, (await admin.StreamPendingAsync(queue, "asya")).PendingMessageCount);
        Assert.Equal(0, await admin.SortedSetLengthAsync(queue + ":leases"));
    }

    [Fact]
    public async Task Ack_AfterLeaseExpiredAndAnotherConsumerClaimed_IsIgnored()
    {
        await using var slow = await fixture.CreateTransportAsync();
        await using var fast = await fixture.CreateTransportAsync();
        var admin = await fixture.AdminAsync();
        var queue = fixture.NewQueueName();
        await slow.SendAsync(queue, Message("contended"), default);
        var stale = Assert.Single(await slow.ReceiveAsync(queue, new ReceiveOptions(1, Patience, TimeSpan.FromMilliseconds(200)), default));
        var claimed = Assert.Single(await fast.ReceiveAsync(queue, new ReceiveOptions(1, Patience, TimeSpan.FromMinutes(1)), default));

        await slow.AckAsync(stale, default);

        Assert.Equal(2, claimed.DeliveryCount);
        Assert.Equal(1, (await admin.StreamPendingAsync(queue, "asya")).PendingMessageCount);
        await fast.AckAsync(claimed, default);
        Assert.Equal(0, await admin.StreamLengthAsync(queue));
    }

    [Fact]
    public async Task Send_MaxLenApprox_TrimsTheStream()
    {
        await using var transport = await fixture.CreateTransportAsync(("maxLenApprox", "10"));
        var queue = fixture.NewQueueName();

        for (var i = 0; i < 500; i++)
        {
            await transport.SendAsync(queue, Message($"m{i}"), default);
        }

        Assert.InRange(await (await fixture.AdminAsync()).StreamLengthAsync(queue), 10, 499);
    }

    [Fact]
    public async Task Ack_OtherTransportsMessage_Throws()
    {
        await using var first = await fixture.CreateTransportAsync();
        await using var second = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();
        await first.SendAsync(queue, Message("x"), default);
        var message = Assert.Single(await first.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));

        await Assert.ThrowsAsync<ArgumentException>(async () => await second.AckAsync(message, default));
    }

    [Fact]
    public async Task Receive_AfterServerLostItsScripts_StillWorks()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();
        await transport.SendAsync(queue, Message("before"), default);
        await transport.AckAsync(Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default)), default);

        await fixture.FlushScriptsAsync();
        await transport.SendAsync(queue, Message("after") with { Delay = TimeSpan.FromMilliseconds(1) }, default);
        var message = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        await transport.AckAsync(message, default);

        Assert.Equal("after", Text(message));
        Assert.Equal(default, await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    [Fact]
    public async Task DisposeAsync_ConsumerHoldsNothing_LeavesGroupButCrashedOneWithPendingStays()
    {
        var admin = await fixture.AdminAsync();
        var queue = fixture.NewQueueName();
        var idle = (RedisStreamsTransport)await fixture.CreateTransportAsync();
        var holder = (RedisStreamsTransport)await fixture.CreateTransportAsync();
        Assert.Empty(await idle.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
        await holder.SendAsync(queue, Message("held"), default);
        Assert.Single(await holder.ReceiveAsync(queue, new ReceiveOptions(1, Patience, TimeSpan.FromMinutes(1)), default));

        await idle.DisposeAsync();
        await holder.DisposeAsync();

        var consumers = (await admin.StreamConsumerInfoAsync(queue, "asya")).Select(c => c.Name).ToList();
        Assert.Equal([holder.ConsumerName], consumers);
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(TransportMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    /// <summary>The server's clock (TIME), in Unix milliseconds.</summary>
    private static async Task<long> ServerMillisecondsAsync(IDatabase admin)
    {
        var time = (RedisResult[])(await admin.ExecuteAsync("TIME"))!;
        return ((long)time[0] * 1000) + ((long)time[1] / 1000);
    }
}
