using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Several consumers and queues at once: stale acks, redelivery order, isolation.</summary>
public abstract partial class TransportCompliance<TFixture>
{
    [SkippableFact]
    public async Task Ack_LeaseExpiredAndAnotherConsumerTookIt_KeepsTheOtherConsumersCopy()
    {
        await using var slow = await Fixture.CreateTransportAsync();
        await using var other = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(slow);
        await slow.SendAsync(queue, Message("contended"), default);
        var stale = await ReceiveOneAsync(slow, queue, visibility: Fixture.VisibilityTimeout);

        // The slow consumer's lease runs out; another consumer takes the message; then the slow one acks its old copy.
        var taken = await ReceiveOneAsync(other, queue);
        await slow.AckAsync(stale, default);

        // The other consumer's copy is untouched: its nack brings the message back, its ack removes it.
        Assert.Equal(2, taken.DeliveryCount);
        await other.NackAsync(taken, TimeSpan.Zero, default);
        var again = await ReceiveOneAsync(other, queue);
        Assert.Equal("contended", Text(again));
        Assert.Equal(3, again.DeliveryCount);
        await other.AckAsync(again, default);
        Assert.Empty(await other.ReceiveAsync(queue, new ReceiveOptions(1, Fixture.VisibilityTimeout * 3), default));
    }

    [SkippableFact]
    public async Task Receive_AfterNack_OthersKeepSendOrderAndNackedOneComesBackOnce()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var sent = Enumerable.Range(0, 6).Select(i => $"m{i}").ToList();
        foreach (var text in sent)
        {
            await transport.SendAsync(queue, Message(text), default);
        }

        var first = await ReceiveOneAsync(transport, queue);
        Assert.Equal("m0", Text(first));
        await transport.NackAsync(first, TimeSpan.Zero, default);

        var rest = await ReceiveAllAsync(transport, queue, sent.Count);
        foreach (var message in rest)
        {
            await transport.AckAsync(message, default);
        }

        var texts = rest.Select(Text).ToList();
        Assert.Equal(sent.Skip(1), texts.Where(t => t != "m0"));
        Assert.Equal(2, Assert.Single(rest, m => Text(m) == "m0").DeliveryCount);
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
    }

    [SkippableFact]
    public async Task Send_TwoQueues_EachReceivesOnlyItsOwn()
    {
        await using var transport = await Fixture.CreateTransportAsync();
        var left = await NewQueueAsync(transport);
        var right = await NewQueueAsync(transport);

        await transport.SendAsync(left, Message("left"), default);
        await transport.SendAsync(right, Message("right"), default);
        var fromRight = await ReceiveOneAsync(transport, right);
        await transport.AckAsync(fromRight, default);

        Assert.Equal("right", Text(fromRight));
        Assert.Empty(await transport.ReceiveAsync(right, new ReceiveOptions(10, TimeSpan.Zero), default));
        await AssertDepthAsync(transport, left, new QueueDepth(1, 0, 0));
        await AssertDepthAsync(transport, right, new QueueDepth(0, 0, 0));
        Assert.Equal("left", Text(await ReceiveOneAsync(transport, left)));
    }
}
