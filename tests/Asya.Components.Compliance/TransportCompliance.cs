using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>
/// The contract every transport passes (docs/design.md §6): one subclass per transport, with a fixture that opens
/// transports on shared storage. Waits are bounded receives or conditions with deadlines, never sleeps.
/// </summary>
public abstract partial class TransportCompliance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, ITransportFixture
{
    /// <summary>Longest wait for something that should happen; generous because the CI box is shared.</summary>
    /// <remarks>Delays and leases that must not expire early are a few seconds, so a stalled test thread does not fail them.</remarks>
    protected internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Slack for "not before" checks: transports store times with millisecond precision.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(50);

    /// <summary>How late a delayed message may arrive: generous for a stalled CI box, far below "delivered much later".</summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromSeconds(5);

    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(2);

    protected TFixture Fixture { get; } = fixture;

    [SkippableFact]
    public async Task Receive_OneProducer_ReturnsMessagesInSendOrder()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var sent = Enumerable.Range(0, 25).Select(i => $"message-{i}").ToList();
        foreach (var text in sent)
        {
            await transport.SendAsync(queue, Message(text), default);
        }

        var received = new List<string>();
        while (received.Count < sent.Count)
        {
            var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(7, Patience, LongLease), default);
            Assert.NotEmpty(batch);
            Assert.True(batch.Count <= 7, $"asked for at most 7 messages, got {batch.Count}");
            foreach (var message in batch)
            {
                received.Add(Text(message));
                await transport.AckAsync(message, default);
            }
        }

        Assert.Equal(sent, received);
    }

    [SkippableFact]
    public async Task Receive_EmptyQueue_ReturnsEmptyAfterWaiting()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var wait = TimeSpan.FromMilliseconds(500);

        var clock = Stopwatch.StartNew();
        var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(10, wait), default);

        Assert.Empty(batch);
        // An empty answer before the wait time makes every idle consumer spin against the broker.
        Assert.True(clock.Elapsed >= wait - ClockSlack, $"returned empty after {clock.Elapsed}, before the {wait} wait time");
    }

    [SkippableFact]
    public async Task Receive_WaitingWhenSendArrives_ReturnsIt()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);

        var receiving = transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default).AsTask();
        await transport.SendAsync(queue, Message("late"), default);
        var batch = await receiving;

        Assert.Equal("late", Text(Assert.Single(batch)));
    }

    [SkippableFact]
    public async Task Ack_ReceivedMessage_IsNeverDeliveredAgain()
    {
        var transport = await Fixture.CreateTransportAsync();
        try
        {
            var queue = await NewQueueAsync(transport);
            await transport.SendAsync(queue, Message("once"), default);
            var message = await ReceiveOneAsync(transport, queue, visibility: Fixture.VisibilityTimeout);

            await transport.AckAsync(message, default);

            // Even after a crash and a visibility timeout, an acked message does not come back.
            transport = await Fixture.CrashAndRestartAsync(transport);
            var again = await transport.ReceiveAsync(queue, new ReceiveOptions(10, Fixture.VisibilityTimeout * 3), default);
            Assert.Empty(again);
            // Read by a process that never held the message (as the scaler does): a restarted transport whose depth is
            // only what it knows itself (Pub/Sub's) would report zero whatever the broker holds.
            await using var reader = await Fixture.CreateDepthReaderAsync();
            await AssertDepthAsync(reader, queue, new QueueDepth(0, 0, 0));
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Nack_WithoutDelay_RedeliversWithHigherDeliveryCount()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("again"), default);
        var first = await ReceiveOneAsync(transport, queue);

        await transport.NackAsync(first, TimeSpan.Zero, default);
        var second = await ReceiveOneAsync(transport, queue);

        Assert.Equal("again", Text(second));
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
    }

    [SkippableFact]
    public async Task Nack_WithDelay_HiddenUntilDelayPassed()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("later"), default);
        var first = await ReceiveOneAsync(transport, queue);
        var delay = TimeSpan.FromSeconds(2);

        var clock = Stopwatch.StartNew();
        await transport.NackAsync(first, delay, default);
        var nacked = Stopwatch.StartNew();

        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
        await AssertDepthAsync(transport, queue, new QueueDepth(0, 0, 1));
        var second = await ReceiveOneAsync(transport, queue);
        Assert.True(clock.Elapsed >= delay - ClockSlack, $"redelivered after {clock.Elapsed}, before the {delay} nack delay");
        Assert.True(nacked.Elapsed <= delay + Lateness, $"redelivered {nacked.Elapsed} after the nack, more than {Lateness} after the {delay} delay");
        Assert.Equal(2, second.DeliveryCount);
    }

    [SkippableFact]
    public async Task Receive_UnackedMessageAfterCrash_RedeliveredAfterVisibilityTimeout()
    {
        var transport = await Fixture.CreateTransportAsync();
        try
        {
            var queue = await NewQueueAsync(transport);
            await transport.SendAsync(queue, Message("survivor"), default);
            var lease = TimeSpan.FromSeconds(2);
            // Started before the receive: the broker begins the lease somewhere inside that call, so the measured time
            // is never shorter than the lease really lasted (a stopwatch started afterwards could fail a correct broker).
            var clock = Stopwatch.StartNew();
            var first = await ReceiveOneAsync(transport, queue, visibility: lease);

            // Hidden while leased...
            Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
            await AssertDepthAsync(transport, queue, new QueueDepth(0, 1, 0));

            // ...and back once the lease runs out, to a new consumer after a crash.
            transport = await Fixture.CrashAndRestartAsync(transport);
            var second = await ReceiveOneAsync(transport, queue);

            Assert.True(clock.Elapsed >= lease - ClockSlack, $"redelivered after {clock.Elapsed}, before the {lease} visibility timeout");
            Assert.Equal("survivor", Text(second));
            Assert.Equal(first.DeliveryCount + 1, second.DeliveryCount);
            await transport.AckAsync(second, default);
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Receive_ConfiguredVisibilityTimeout_RedeliversUnackedMessage()
    {
        var transport = await Fixture.CreateTransportAsync();
        try
        {
            var queue = await NewQueueAsync(transport);
            await transport.SendAsync(queue, Message("retry"), default);
            var configured = new ReceiveOptions(1, Patience);
            Assert.Single(await transport.ReceiveAsync(queue, configured, default));

            transport = await Fixture.CrashAndRestartAsync(transport);
            var second = Assert.Single(await transport.ReceiveAsync(queue, configured, default));

            Assert.Equal(2, second.DeliveryCount);
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Send_WithDelay_NotVisibleBeforeDelay()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var delay = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();

        await transport.SendAsync(queue, Message("delayed") with { Delay = delay }, default);
        // The upper bound runs from the moment the send returned: the broker had the message by then.
        var sent = Stopwatch.StartNew();

        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
        await AssertDepthAsync(transport, queue, new QueueDepth(0, 0, 1));
        var message = await ReceiveOneAsync(transport, queue);
        Assert.True(clock.Elapsed >= delay - ClockSlack, $"delivered after {clock.Elapsed}, before the {delay} delay");
        Assert.True(sent.Elapsed <= delay + Lateness, $"delivered {sent.Elapsed} after the send, more than {Lateness} after the {delay} delay");
        Assert.Equal("delayed", Text(message));
        Assert.Equal(1, message.DeliveryCount);
    }

    [SkippableFact]
    public async Task DeliveryCount_EachRedelivery_GrowsByOne()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("counted"), default);

        for (var expected = 1; expected <= 4; expected++)
        {
            var message = await ReceiveOneAsync(transport, queue);
            Assert.Equal(expected, message.DeliveryCount);
            await transport.NackAsync(message, TimeSpan.Zero, default);
        }
    }

    [SkippableFact]
    public async Task GetQueueDepth_MixedStates_CountsReadyInFlightAndDelayed()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var depth = Require<IQueueDepthSource>(transport, "queue depths");

        var queue = await NewQueueAsync(transport);
        Assert.Equal(default, await depth.GetQueueDepthAsync(queue, default));
        for (var i = 0; i < 4; i++)
        {
            await transport.SendAsync(queue, Message($"ready-{i}"), default);
        }

        await transport.SendAsync(queue, Message("delayed") with { Delay = TimeSpan.FromMinutes(5) }, default);
        var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience, LongLease), default);
        var leased = Assert.Single(batch);

        Assert.Equal(new QueueDepth(3, 1, 1), await depth.GetQueueDepthAsync(queue, default));
        await transport.AckAsync(leased, default);
        Assert.Equal(new QueueDepth(3, 0, 1), await depth.GetQueueDepthAsync(queue, default));
    }

    [SkippableFact]
    public async Task Send_OneMebibyteBody_RoundTripsByteExact()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        // 1 MiB, or the broker's documented maximum when that is lower.
        var body = new byte[Fixture.MaxBodyBytes];
        new Random(42).NextBytes(body);

        await transport.SendAsync(queue, new OutgoingMessage(body), default);
        var message = await ReceiveOneAsync(transport, queue);

        Assert.Equal(body.Length, message.Body.Length);
        Assert.True(body.AsSpan().SequenceEqual(message.Body.Span), $"the {body.Length}-byte body changed on the way");
        await transport.AckAsync(message, default);
    }

    [SkippableFact]
    public async Task Send_Headers_RoundTrip()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var headers = new Dictionary<string, string>
        {
            ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ["x-asya-first-attempt"] = "2026-01-01T00:00:00Z",
            ["unicode"] = "héllo \"quoted\" ✓",
        };

        await transport.SendAsync(queue, Message("with headers") with { Headers = headers }, default);
        await transport.SendAsync(queue, Message("without headers"), default);
        var batch = await ReceiveAllAsync(transport, queue, 2);

        Assert.Equal(headers.OrderBy(h => h.Key), batch[0].Headers.OrderBy(h => h.Key));
        Assert.Empty(batch[1].Headers);
    }

    [SkippableFact]
    public async Task Send_EmptyBody_RoundTrips()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);

        await transport.SendAsync(queue, new OutgoingMessage(ReadOnlyMemory<byte>.Empty), default);
        var message = await ReceiveOneAsync(transport, queue);

        Assert.Equal(0, message.Body.Length);
    }

    [SkippableFact]
    public async Task Receive_TenThousandMessagesBatched_NoneLostNoneDuplicated()
    {
        const int Count = 10_000;
        const int Producers = 4;
        await using var producer = await Fixture.CreateTransportAsync();
        await using var consumerA = await Fixture.CreateTransportAsync();
        await using var consumerB = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(producer);

        var sending = Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            for (var i = p; i < Count; i += Producers)
            {
                await producer.SendAsync(queue, Message(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default);
            }
        }));

        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        async Task ConsumeAsync(ITransport consumer)
        {
            while (seen.Count < Count && !stop.IsCancellationRequested)
            {
                var batch = await consumer.ReceiveAsync(queue, new ReceiveOptions(100, TimeSpan.FromMilliseconds(200), LongLease), default);
                foreach (var message in batch)
                {
                    seen.AddOrUpdate(Text(message), 1, (_, n) => n + 1);
                    await consumer.AckAsync(message, default);
                }
            }
        }

        var consuming = new[] { consumerA, consumerA, consumerB, consumerB }.Select(c => Task.Run(() => ConsumeAsync(c)));
        await Task.WhenAll(sending);
        await Task.WhenAll(consuming);

        Assert.Equal(Count, seen.Count);
        Assert.Empty(seen.Where(s => s.Value != 1).Select(s => s.Key));
        Assert.Empty(await consumerA.ReceiveAsync(queue, new ReceiveOptions(100, TimeSpan.Zero), default));
        await AssertDepthAsync(consumerA, queue, new QueueDepth(0, 0, 0));
    }

    [SkippableFact]
    public async Task Receive_TwoTransportsOnSameStorage_ShareTheQueueWithoutDuplicates()
    {
        const int Count = 200;
        await using var first = await Fixture.CreateTransportAsync();
        await using var second = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(first);
        // Both are subscribed before the messages arrive, as running replicas are: a broker that pushes to open streams
        // (Pub/Sub) would otherwise rightly hand everything to whichever stream opened first.
        Assert.Empty(await first.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(1)), default));
        Assert.Empty(await second.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(1)), default));
        for (var i = 0; i < Count; i++)
        {
            await (i % 2 == 0 ? first : second).SendAsync(queue, Message($"m{i}"), default);
        }

        var seen = new ConcurrentDictionary<string, int>();
        var perTransport = new ConcurrentDictionary<ITransport, int>();
        // Both hold their first batch before either goes on, so a fast transport cannot let one drain the queue before
        // the other's first receive (which would prove nothing about sharing).
        var firstBatches = new WaitSignal(2);
        async Task ConsumeAsync(ITransport consumer)
        {
            var first = true;
            while (true)
            {
                var batch = await consumer.ReceiveAsync(queue, new ReceiveOptions(5, TimeSpan.FromMilliseconds(300), LongLease), default);
                if (first)
                {
                    first = false;
                    firstBatches.Pulse();
                    await firstBatches.WaitAsync(Patience);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    seen.AddOrUpdate(Text(message), 1, (_, n) => n + 1);
                    perTransport.AddOrUpdate(consumer, 1, (_, n) => n + 1);
                    await consumer.AckAsync(message, default);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => ConsumeAsync(first)), Task.Run(() => ConsumeAsync(second)));

        Assert.Equal(Count, seen.Count);
        Assert.All(seen, s => Assert.Equal(1, s.Value));
        // Both consumers poll in 5-message batches until the queue is dry; on 2 shared cores one may win most rounds,
        // but a transport that hands everything to one consumer (or locks the queue to it) gives the other nothing.
        Assert.True(perTransport.GetValueOrDefault(first) >= 5 && perTransport.GetValueOrDefault(second) >= 5,
            $"one consumer took (nearly) everything: first {perTransport.GetValueOrDefault(first)}, second {perTransport.GetValueOrDefault(second)} of {Count}");
    }

    [SkippableFact]
    public async Task DeleteQueue_WithMessages_RemovesThemAndEnsureIsIdempotent()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var admin = Require<IQueueAdmin>(transport, "queue creation and deletion");

        var queue = Fixture.NewQueueName();
        await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        await transport.SendAsync(queue, Message("a"), default);
        await transport.SendAsync(queue, Message("b"), default);

        await admin.DeleteQueueAsync(queue, default);
        await admin.DeleteQueueAsync(queue, default);
        await admin.DeleteQueueAsync(Fixture.NewQueueName(), default);

        await AssertDepthAsync(transport, queue, new QueueDepth(0, 0, 0));
        await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(10, TimeSpan.Zero), default));
        await transport.SendAsync(queue, Message("c"), default);
        Assert.Equal("c", Text(await ReceiveOneAsync(transport, queue)));
    }

    [SkippableFact]
    public async Task ExtendLease_BeforeExpiry_KeepsMessageHidden()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var extender = Require<ILeaseExtender>(transport, "lease extension");

        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("long job"), default);
        var message = await ReceiveOneAsync(transport, queue, visibility: TimeSpan.FromSeconds(30));

        await extender.ExtendLeaseAsync(message, LongLease, default);
        await AssertDepthAsync(transport, queue, new QueueDepth(0, 1, 0));
        await extender.ExtendLeaseAsync(message, TimeSpan.Zero, default);

        // A lease shortened to now makes the message available at once.
        var again = await ReceiveOneAsync(transport, queue);
        Assert.Equal(2, again.DeliveryCount);
    }

    /// <summary>The transport as <typeparamref name="T"/>; a transport without that capability skips the case, saying so.</summary>
    protected static T Require<T>(ITransport transport, string capability)
        where T : class
    {
        var typed = transport as T;
        Skip.If(typed is null, $"{transport?.GetType().Name} has no {capability} ({typeof(T).Name})");
        return typed!;
    }

    /// <summary>A fresh queue name, created first when the transport manages queues (brokers drop sends to missing queues).</summary>
    protected async Task<string> NewQueueAsync(ITransport transport)
    {
        var queue = Fixture.NewQueueName();
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        }

        return queue;
    }

    /// <summary>A UTF-8 text body.</summary>
    protected internal static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The body as UTF-8 text.</summary>
    protected internal static string Text(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Encoding.UTF8.GetString(message.Body.Span);
    }

    /// <summary>Receives exactly one message, waiting up to <see cref="Patience"/>.</summary>
    protected static async Task<TransportMessage> ReceiveOneAsync(ITransport transport, string queue, TimeSpan? visibility = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience, visibility ?? LongLease), default);
        return Assert.Single(batch);
    }

    protected internal static async Task<List<TransportMessage>> ReceiveAllAsync(ITransport transport, string queue, int count)
    {
        var all = new List<TransportMessage>();
        while (all.Count < count)
        {
            var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(count - all.Count, Patience, LongLease), default);
            Assert.NotEmpty(batch);
            all.AddRange(batch);
        }

        return all;
    }

    protected static async Task AssertDepthAsync(ITransport transport, string queue, QueueDepth expected)
    {
        if (transport is IQueueDepthSource depth)
        {
            Assert.Equal(expected, await depth.GetQueueDepthAsync(queue, default));
        }
    }
}
