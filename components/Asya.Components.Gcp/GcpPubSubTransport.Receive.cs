using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Grpc.Core;

namespace Asya.Components.Gcp;

// Receiving and the in-flight messages: messages handed out with their ack deadline set to the lease; ack, nack and lease extension move that deadline.
internal sealed partial class GcpPubSubTransport
{
    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var state = State(queue);
        if (state.Consumer is null)
        {
            if (Settings.ManageEntities)
            {
                await EnsureAsync(state, cancellationToken).ConfigureAwait(false);
            }

            lock (state)
            {
                state.Consumer ??= new SubscriptionConsumer(this, state);
            }
        }

        var batch = await state.Consumer.TakeAsync(options.MaxMessages, options.WaitTime, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return [];
        }

        foreach (var message in batch)
        {
            state.InFlight[message.Id] = message.AckId;
        }

        var visibility = TransportAttributes.DeadlineSeconds(options.VisibilityTimeout ?? Settings.AckDeadline);
        await ModifyDeadlineQuietlyAsync(state, [.. batch.Select(m => m.AckId)], Math.Max(1, visibility), cancellationToken).ConfigureAwait(false);
        return batch;
    }

    internal GcpPubSubMessage ToMessage(string queue, ReceivedMessage received) => new()
    {
        Id = received.Message.MessageId,
        Queue = queue,
        Body = received.Message.Data.Memory,
        Headers = TransportAttributes.Headers(received.Message),
        DeliveryCount = Tracker.Deliver(received),
        AckId = received.AckId,
        Raw = received.Message,
        Owner = this,
    };

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        state.InFlight.TryRemove(own.Id, out _);
        Tracker.Forget(own.Id);
        try
        {
            await Connection.Subscriber.AcknowledgeAsync(
                new AcknowledgeRequest { Subscription = state.Subscription, AckIds = { own.AckId } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (IsStale(ex))
        {
            logger.StaleDelivery("ack", own.Id, own.Queue);
        }
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        if (delay <= GcpPubSubSettings.MaxAckDeadline)
        {
            var seconds = TransportAttributes.DeadlineSeconds(delay);
            await ModifyDeadlineAsync(own, state, seconds, "nack", cancellationToken).ConfigureAwait(false);
            state.InFlight.TryRemove(own.Id, out _);
            if (seconds > 0)
            {
                state.Delayed[own.Id] = timeProvider.GetUtcNow() + delay;
            }

            return;
        }

        // Beyond the longest ack deadline: a copy that waits for its time, then the original goes.
        var copy = own.Raw.Clone();
        copy.MessageId = string.Empty;
        copy.PublishTime = null;
        var due = timeProvider.GetUtcNow() + delay;
        copy.Attributes[TransportAttributes.NotBefore] = TransportAttributes.Format(due);
        copy.Attributes[TransportAttributes.PriorDeliveries] = own.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = await PublishAsync(state, copy, cancellationToken).ConfigureAwait(false);
        state.Delayed[id] = due;
        await AckAsync(own, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        var seconds = TransportAttributes.DeadlineSeconds(extension);
        await ModifyDeadlineAsync(own, state, seconds, "lease extension", cancellationToken).ConfigureAwait(false);
        if (seconds == 0)
        {
            state.InFlight.TryRemove(own.Id, out _);
        }
    }

    private async Task ModifyDeadlineAsync(GcpPubSubMessage message, QueueState state, int seconds, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await Connection.Subscriber.ModifyAckDeadlineAsync(
                new ModifyAckDeadlineRequest { Subscription = state.Subscription, AckIds = { message.AckId }, AckDeadlineSeconds = seconds },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (IsStale(ex))
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
    }

    /// <summary>Sets the deadline of many messages at once; failures are logged (the message then reappears on its own).</summary>
    internal async Task ModifyDeadlineQuietlyAsync(QueueState state, IReadOnlyList<string> ackIds, int seconds, CancellationToken cancellationToken)
    {
        // Requests stay well under Pub/Sub's 512 KB limit (ack ids are a few hundred bytes).
        foreach (var chunk in ackIds.Chunk(1000))
        {
            try
            {
                await Connection.Subscriber.ModifyAckDeadlineAsync(
                    new ModifyAckDeadlineRequest { Subscription = state.Subscription, AckIds = { chunk }, AckDeadlineSeconds = seconds },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                logger.DeadlineFailed(Name, chunk.Length, state.Queue, ex);
            }
        }
    }

    private GcpPubSubMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is GcpPubSubMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by Pub/Sub transport '{Name}'", nameof(message));
    }

    /// <summary>An ack id that expired, or a subscription that went away with it (emulator restart).</summary>
    private static bool IsStale(RpcException ex) =>
        ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition;
}
