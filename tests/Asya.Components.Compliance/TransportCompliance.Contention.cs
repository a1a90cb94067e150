using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>Several consumers and queues at once: stale acks, redelivery order, isolation.</summary>
public abstract partial class TransportCompliance<TFixture>
{
    [SkippableFact]
    public async Task Ack_LeaseExpiredAndTheMessageTakenAgain_KeepsTheNewHoldersCopy()
    {
        await using var slow = await Fixture.CreateTransportAsync();
        await using var other = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(slow);
        await slow.SendAsync(queue, Message("contended"), default);
        var stale = await ReceiveOneAsync(slow, queue, visibility: Fixture.VisibilityTimeout);

        // The slow consumer's lease runs out and the message is taken again: by the other consumer, or (brokers that
        // push to subscribed consumers) by the slow one's own prefetch; then the slow one acks its old copy.
        var taken = await ReceiveFromEitherAsync(slow, other, queue);
        await slow.AckAsync(stale, default);

        // The new holder's copy is untouched: its nack brings the message back, its ack removes it.
        Assert.Equal("contended", Text(taken.Message));
        Assert.Equal(2, taken.Message.DeliveryCount);
        await taken.Holder.NackAsync(taken.Message, TimeSpan.Zero, default);
        var again = await ReceiveFromEitherAsync(slow, other, queue);
        Assert.Equal("contended", Text(again.Message));
        Assert.Equal(3, again.Message.DeliveryCount);
        await again.Holder.AckAsync(again.Message, default);
        Assert.Empty(await other.ReceiveAsync(queue, new ReceiveOptions(1, Fixture.VisibilityTimeout * 3), default));
    }

    /// <summary>
    /// The first message either transport receives, waiting up to <see cref="Patience"/>; the other receive is then
    /// cancelled (a cancelled receive takes nothing, see <c>Receive_CancelledWhileWaiting_EndsWithCancellationAndLosesNothing</c>)
    /// and must not have got one too.
    /// </summary>
    private static async Task<(ITransport Holder, TransportMessage Message)> ReceiveFromEitherAsync(ITransport first, ITransport second, string queue)
    {
        using var stop = new CancellationTokenSource();
        var deadline = DateTime.UtcNow + Patience;
        var options = new ReceiveOptions(1, TimeSpan.FromSeconds(2), LongLease);
        var pending = new[] { first, second }.Select(t => ReceiveOrEmptyAsync(t, queue, options, stop.Token)).ToList();
        while (DateTime.UtcNow < deadline)
        {
            var done = await Task.WhenAny(pending);
            var result = await done;
            if (result.Batch.Count > 0)
            {
                break;
            }

            // An empty answer: that transport asks again while the other keeps waiting.
            pending[pending.IndexOf(done)] = ReceiveOrEmptyAsync(result.Transport, queue, options, stop.Token);
        }

        await stop.CancelAsync();
        var got = (await Task.WhenAll(pending)).Where(r => r.Batch.Count > 0).ToList();
        Assert.True(got.Count == 1, $"{got.Sum(r => r.Batch.Count)} deliveries of one message to two consumers within {Patience} (one expected)");
        return (got[0].Transport, Assert.Single(got[0].Batch));
    }

    private static async Task<(ITransport Transport, IReadOnlyList<TransportMessage> Batch)> ReceiveOrEmptyAsync(
        ITransport transport, string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return (transport, await transport.ReceiveAsync(queue, options, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            return (transport, []);
        }
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
        var fromLeft = await ReceiveOneAsync(transport, left);
        await transport.AckAsync(fromLeft, default);
        Assert.Equal("left", Text(fromLeft));
        Assert.Empty(await transport.ReceiveAsync(left, new ReceiveOptions(10, TimeSpan.Zero), default));
    }
}
