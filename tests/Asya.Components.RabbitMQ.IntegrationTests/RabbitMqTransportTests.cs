using System.Globalization;
using System.Text;
using Asya.Components.Abstractions;
using Asya.Testing;
using RabbitMQ.Client;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>What the compliance suite cannot see: real crashes, delay queues, management depth, a dropped connection.</summary>
public sealed class RabbitMqTransportTests(RabbitMqTransportFixture fixture) : IClassFixture<RabbitMqTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Receive_AfterRepeatedRealCrashes_RedeliveredAtOnceCountingEveryDelivery()
    {
        var queue = fixture.NewQueueName();
        var counts = new List<int>();
        await using (var producer = await fixture.CreateTransportAsync())
        {
            await ((IQueueAdmin)producer).EnsureQueueAsync(new QueueSpec(queue), default);
            await producer.SendAsync(queue, Message("poison"), default);
        }

        for (var crash = 0; crash < 3; crash++)
        {
            // Disposing closes the connection without an ack, as a killed process does.
            await using var consumer = await fixture.CreateTransportAsync();
            counts.Add(Assert.Single(await consumer.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default)).DeliveryCount);
        }

        await using var last = await fixture.CreateTransportAsync();
        var message = Assert.Single(await last.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        await last.AckAsync(message, default);

        Assert.Equal([1, 2, 3], counts);
        Assert.Equal(4, message.DeliveryCount);
        Assert.Equal("poison", Text(message));
    }

    [Fact]
    public async Task Dispose_PrefetchedButNeverReceived_ReturnedWithoutCountingADelivery()
    {
        var queue = fixture.NewQueueName();
        var first = await fixture.CreateTransportAsync();
        await ((IQueueAdmin)first).EnsureQueueAsync(new QueueSpec(queue), default);
        for (var i = 0; i < 5; i++)
        {
            await first.SendAsync(queue, Message($"m{i}"), default);
        }

        // One received and acked; the prefetch window took the other four into this process's buffer.
        var taken = Assert.Single(await first.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        await first.AckAsync(taken, default);
        await first.DisposeAsync();

        await using var second = await fixture.CreateTransportAsync();
        var rest = new List<TransportMessage>();
        while (rest.Count < 4)
        {
            var batch = await second.ReceiveAsync(queue, new ReceiveOptions(4, Patience), default);
            Assert.NotEmpty(batch);
            rest.AddRange(batch);
        }

        Assert.Equal(["m1", "m2", "m3", "m4"], rest.Select(Text).Order());
        Assert.All(rest, m => Assert.Equal(1, m.DeliveryCount));
    }

    [Fact]
    public async Task Send_WithDelay_ParksInTtlQueueThatDeadLettersToTarget()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01" };

        await transport.SendAsync(queue, Message("later") with { Delay = TimeSpan.FromMilliseconds(1234), Headers = headers }, default);

        var parked = await ManagementApi.QueueAsync(queue + ".delay.1300");
        Assert.NotNull(parked);
        var arguments = parked.Value.GetProperty("arguments");
        Assert.Equal(1300, arguments.GetProperty("x-message-ttl").GetInt64());
        Assert.Equal(string.Empty, arguments.GetProperty("x-dead-letter-exchange").GetString());
        Assert.Equal(queue, arguments.GetProperty("x-dead-letter-routing-key").GetString());
        Assert.True(arguments.GetProperty("x-expires").GetInt64() > 1300);
        var message = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        Assert.Equal("later", Text(message));
        Assert.Equal(headers, message.Headers);
        Assert.Equal(1, message.DeliveryCount);
    }

    [Fact]
    public async Task Receive_MessageFromPlainAmqpPublisher_CountOneAndStringHeaders()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMqTestEnvironment.RequireEndpoint()) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { MessageId = "dapr-1", Headers = new Dictionary<string, object?> { ["source"] = "dapr", ["attempt"] = 3 } };
            await channel.BasicPublishAsync(string.Empty, queue, false, properties, Encoding.UTF8.GetBytes("from elsewhere"));
        }

        var message = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));

        Assert.Equal("dapr-1", message.Id);
        Assert.Equal(1, message.DeliveryCount);
        Assert.Equal("dapr", message.Headers["source"]);
        Assert.Equal("3", message.Headers["attempt"]);
    }

    [Fact]
    public async Task Ack_AfterBrokerClosedTheConnection_DoesNotThrowAndMessageComesBack()
    {
        var clientName = "asya-test-" + Guid.NewGuid().ToString("N")[..8];
        await using var transport = await fixture.CreateTransportAsync(("clientName", clientName), ("reconnectWaitSeconds", "1"));
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("held"), default);
        var held = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience), default));
        var connection = Assert.Single(await Eventually.GetAsync(
            async () => await ManagementApi.ConnectionsNamedAsync(clientName) is { Count: > 0 } found ? found : null, Patience, "the connection to be listed"));

        var validity = (IDeliveryValidity)transport;
        Assert.True(validity.IsStillHeld(held));

        await ManagementApi.CloseConnectionAsync(connection);
        // The sidecar asks this before handling a message it took before the drop: the broker has it back.
        await Eventually.TrueAsync(() => Task.FromResult(!validity.IsStillHeld(held)), Patience, "the held message to be known lost");
        await transport.AckAsync(held, default);

        // The client reconnects and the consumer resumes; the unacked message is back, counted.
        var again = Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(30)), default));
        Assert.Equal("held", Text(again));
        Assert.Equal(2, again.DeliveryCount);
        Assert.True(validity.IsStillHeld(again));
        await transport.AckAsync(again, default);
    }

    [Fact]
    public async Task GetQueueDepths_ManagementUrl_OneRequestCountsReadyAndDelayed()
    {
        await using var transport = await fixture.CreateTransportAsync(("managementUrl", RabbitMqTestEnvironment.ManagementUrl()));
        var queue = await NewQueueAsync(transport);
        var missing = fixture.NewQueueName();
        for (var i = 0; i < 3; i++)
        {
            await transport.SendAsync(queue, Message($"m{i}"), default);
        }

        await transport.SendAsync(queue, Message("delayed") with { Delay = TimeSpan.FromMinutes(5) }, default);
        var source = (IQueueDepthSource)transport;

        // The management API refreshes its figures every collect_statistics_interval, so wait for them.
        var depths = await Eventually.GetAsync(
            async () => await source.GetQueueDepthsAsync([queue, missing], default) is var d && d[queue] == new QueueDepth(3, 0, 1) ? d : null,
            Patience, "management depth (3 ready, 1 delayed)");

        Assert.Equal(default, depths[missing]);
    }

    [Fact]
    public async Task GetQueueDepths_ManagementUrl_ReadyIsLiveNotLaggingByTheStatisticsInterval()
    {
        await using var transport = await fixture.CreateTransportAsync(("managementUrl", RabbitMqTestEnvironment.ManagementUrl()));
        var queue = await NewQueueAsync(transport);
        var source = (IQueueDepthSource)transport;
        Assert.Equal(default, (await source.GetQueueDepthsAsync([queue], default))[queue]);

        await transport.SendAsync(queue, Message("wake up"), default);

        // Read at once: the management API would say 0 until its next statistics refresh (5 s).
        Assert.Equal(1, (await source.GetQueueDepthsAsync([queue], default))[queue].Ready);
        Assert.Equal(1, (await ((IReadyCountSource)transport).GetReadyCountsAsync([queue], default))[queue]);
    }

    private async Task<string> NewQueueAsync(ITransport transport)
    {
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        return queue;
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(TransportMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
