using System.Text;
using Asya.Components.Abstractions;

namespace Asya.Components.Gcp.IntegrationTests;

/// <summary>Pub/Sub specifics beyond the shared compliance suite.</summary>
public sealed class PubSubTransportTests(PubSubTransportFixture fixture) : IClassFixture<PubSubTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ReceiveAsync_StreamingPullOnEmulator_DeliversInOrderAndAcks()
    {
        await using var transport = await fixture.CreateTransportAsync(("streamingPull", "true"));
        var queue = await NewQueueAsync(transport);
        var sent = Enumerable.Range(0, 20).Select(i => $"s{i}").ToList();
        foreach (var text in sent)
        {
            await transport.SendAsync(queue, Message(text), default);
        }

        var received = new List<string>();
        while (received.Count < sent.Count)
        {
            var batch = await transport.ReceiveAsync(queue, new ReceiveOptions(5, Patience, LongLease), default);
            Assert.NotEmpty(batch);
            foreach (var message in batch)
            {
                received.Add(Text(message));
                await transport.AckAsync(message, default);
            }
        }

        Assert.Equal(sent, received);
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(10, TimeSpan.FromMilliseconds(300)), default));
    }

    [Fact]
    public async Task DeliveryCount_NoDeadLetterPolicy_CountedByThisProcess()
    {
        await using var transport = await fixture.CreateTransportAsync(("ackDeadline", "1s"));
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("counted here"), default);

        var first = await ReceiveOneAsync(transport, queue);
        await transport.NackAsync(first, TimeSpan.Zero, default);
        var second = await ReceiveOneAsync(transport, queue);

        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
    }

    [Fact]
    public async Task GetQueueDepth_MessagesOfAnotherProcess_PeekCountsThemWithoutTakingThem()
    {
        await using var producer = await fixture.CreateTransportAsync(("ackDeadline", "1s"));
        await using var observer = await fixture.CreateTransportAsync(("ackDeadline", "1s"));
        var queue = await NewQueueAsync(producer);
        for (var i = 0; i < 3; i++)
        {
            await producer.SendAsync(queue, Message($"m{i}"), default);
        }

        await producer.SendAsync(queue, Message("later") with { Delay = TimeSpan.FromMinutes(5) }, default);

        Assert.Equal(new QueueDepth(3, 0, 1), await ((IQueueDepthSource)observer).GetQueueDepthAsync(queue, default));
        var message = await ReceiveOneAsync(producer, queue);
        Assert.Equal(1, message.DeliveryCount);
    }

    [Fact]
    public async Task GetQueueDepth_DeadLetterPolicy_NoPeekSoNoDeliveryAttemptIsSpent()
    {
        await using var producer = await fixture.CreateTransportAsync();
        await using var observer = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(producer);
        await producer.SendAsync(queue, Message("untouched"), default);

        Assert.Equal(default, await ((IQueueDepthSource)observer).GetQueueDepthAsync(queue, default));
        var message = await ReceiveOneAsync(producer, queue);
        Assert.Equal(1, message.DeliveryCount);
    }

    [Fact]
    public async Task NackAsync_DelayBeyondLongestAckDeadline_RepublishedHiddenAndCountedDelayed()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, Message("much later") with { Headers = new Dictionary<string, string> { ["k"] = "v" } }, default);
        var message = await ReceiveOneAsync(transport, queue);

        await transport.NackAsync(message, TimeSpan.FromMinutes(15), default);

        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(2)), default));
        Assert.Equal(new QueueDepth(0, 0, 1), await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    private async Task<string> NewQueueAsync(ITransport transport)
    {
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        return queue;
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(TransportMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    private static async Task<TransportMessage> ReceiveOneAsync(ITransport transport, string queue) =>
        Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience, LongLease), default));
}
