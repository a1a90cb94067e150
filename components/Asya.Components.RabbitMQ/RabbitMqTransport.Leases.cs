using Asya.Components.Abstractions;

namespace Asya.Components.RabbitMQ;

// In-flight messages: ack, nack, the in-process leases and the loop that gives back what outlived its lease.
internal sealed partial class RabbitMqTransport
{
    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.TryRemove(own, out _))
        {
            logger.StaleDelivery("ack", own.Id, own.Queue);
            return;
        }

        await AckTagAsync(own.Delivery, "ack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.TryRemove(own, out _))
        {
            logger.StaleDelivery("nack", own.Id, own.Queue);
            return;
        }

        await GiveBackAsync(own, delay, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.ContainsKey(own))
        {
            logger.StaleDelivery("lease extension", own.Id, own.Queue);
            return;
        }

        if (extension <= TimeSpan.Zero)
        {
            await NackAsync(own, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }

        Volatile.Write(ref own.LeaseDeadline, Deadline(extension));
    }

    /// <summary>False once the channel or connection that delivered it is gone (the broker has it back).</summary>
    public bool IsStillHeld(TransportMessage message) =>
        message is not RabbitMqMessage { Delivery: var delivery }
        || (!delivery.Consumer.Dead && delivery.Generation == Interlocked.Read(ref _generation));

    private async Task GiveBackAsync(RabbitMqMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        await RepublishAsync(message.Delivery, message.DeliveryCount, delay, cancellationToken).ConfigureAwait(false);
        await AckTagAsync(message.Delivery, "nack", cancellationToken).ConfigureAwait(false);
    }

    private async Task AckTagAsync(RabbitMqDelivery delivery, string operation, CancellationToken cancellationToken)
    {
        if (delivery.Consumer.Dead || delivery.Generation != Interlocked.Read(ref _generation))
        {
            logger.StaleDelivery(operation, delivery.Properties.MessageId ?? string.Empty, delivery.Consumer.Queue);
            return;
        }

        try
        {
            await delivery.Consumer.Channel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // The channel that delivered it died: the broker delivers it again, which at-least-once allows.
            logger.AckFailed(operation, delivery.Properties.MessageId ?? string.Empty, delivery.Consumer.Queue, ex.Message);
        }
    }

    private async Task ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LeaseSweep, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_inFlight.IsEmpty)
                {
                    continue;
                }

                var now = timeProvider.GetTimestamp();
                foreach (var message in _inFlight.Keys)
                {
                    var deadline = Volatile.Read(ref message.LeaseDeadline);
                    if (deadline == 0 || deadline > now || !_inFlight.TryRemove(message, out _))
                    {
                        continue;
                    }

                    logger.LeaseExpired(message.Id, message.Queue);
                    try
                    {
                        await GiveBackAsync(message, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.RecountFailed(message.Id, message.Queue, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long Deadline(TimeSpan lease) => timeProvider.GetTimestamp() + (long)(lease.TotalSeconds * timeProvider.TimestampFrequency);

    private RabbitMqMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is RabbitMqMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by RabbitMQ transport '{_name}'", nameof(message));
    }
}
