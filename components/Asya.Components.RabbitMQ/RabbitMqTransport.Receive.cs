using System.Globalization;
using Asya.Components.Abstractions;

namespace Asya.Components.RabbitMQ;

// Receiving: one push consumer per queue, its prefetch buffer drained by receive calls, redeliveries counted before anyone sees them.
internal sealed partial class RabbitMqTransport
{
    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var consumer = await ConsumerAsync(queue, cancellationToken).ConfigureAwait(false);
        var lease = options.VisibilityTimeout ?? _settings.VisibilityTimeout;
        var started = timeProvider.GetTimestamp();
        List<TransportMessage>? batch = null;
        while (true)
        {
            while ((batch?.Count ?? 0) < options.MaxMessages && consumer.Reader.TryRead(out var delivery))
            {
                if (await AcceptAsync(delivery, lease, cancellationToken).ConfigureAwait(false) is { } message)
                {
                    (batch ??= new List<TransportMessage>(Math.Min(options.MaxMessages, _settings.Prefetch))).Add(message);
                }
            }

            if (batch is not null)
            {
                return batch;
            }

            var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return [];
            }

            if (consumer.Dead)
            {
                consumer = await ConsumerAsync(queue, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
            try
            {
                await consumer.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<QueueConsumer> ConsumerAsync(string queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            // GetOrAdd may run its factory twice under a race, and a consumer nobody reads still takes a whole
            // prefetch window of deliveries that then sit unacked; so one start per queue, under a lock.
            Task<QueueConsumer>? starting;
            lock (_consumersLock)
            {
                if (!_consumers.TryGetValue(queue, out starting))
                {
                    starting = StartConsumerAsync(queue);
                    _consumers[queue] = starting;
                }
            }

            QueueConsumer consumer;
            try
            {
                consumer = await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _consumers.TryRemove(new KeyValuePair<string, Task<QueueConsumer>>(queue, starting));
                throw;
            }

            if (!consumer.Dead)
            {
                return consumer;
            }

            if (_consumers.TryRemove(new KeyValuePair<string, Task<QueueConsumer>>(queue, starting)))
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<QueueConsumer> StartConsumerAsync(string queue)
    {
        await DeclareQueueAsync(queue, _stopping.Token).ConfigureAwait(false);
        return await QueueConsumer.StartAsync(Connection, queue, _settings.Prefetch, () => Interlocked.Read(ref _generation), _stopping.Token)
            .ConfigureAwait(false);
    }

    private async Task<TransportMessage?> AcceptAsync(RabbitMqDelivery delivery, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (delivery.Consumer.Dead || delivery.Generation != Interlocked.Read(ref _generation))
        {
            // Its channel is gone; the broker has it back and will deliver it again.
            return null;
        }

        var prior = AmqpHeaders.PriorDeliveries(delivery.Properties);
        var id = delivery.Properties.MessageId ?? delivery.DeliveryTag.ToString(CultureInfo.InvariantCulture);
        if (delivery.Redelivered)
        {
            // Held by a consumer that went away: count that delivery, then deliver the counted copy in turn.
            try
            {
                await RepublishAsync(delivery, prior + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await AckTagAsync(delivery, "recount", cancellationToken).ConfigureAwait(false);
                logger.RedeliveryCounted(id, delivery.Consumer.Queue, prior + 1);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.RecountFailed(id, delivery.Consumer.Queue, ex);
            }

            return null;
        }

        var message = new RabbitMqMessage
        {
            Id = id,
            Queue = delivery.Consumer.Queue,
            Body = delivery.Body,
            Headers = AmqpHeaders.FromAmqp(delivery.Properties.Headers),
            DeliveryCount = (int)Math.Min(int.MaxValue, prior + 1),
            Owner = this,
            Delivery = delivery,
            LeaseDeadline = lease > TimeSpan.Zero ? Deadline(lease) : 0,
        };
        _inFlight[message] = 0;
        return message;
    }

    /// <summary>
    /// Test hook for a process that hangs rather than dies: it stops taking deliveries (buffered ones go back to the
    /// broker) but keeps its connection, so what it holds returns only when the leases run out.
    /// </summary>
    internal async Task StopConsumingAsync()
    {
        foreach (var starting in _consumers.Values)
        {
            if (starting.IsCompletedSuccessfully)
            {
                await ReturnBufferedAsync(await starting.ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops the consumer and gives back what it prefetched but nobody received, with the count unchanged. Left to the
    /// channel close, the broker would flag them redelivered and they would count a delivery that never happened, so
    /// every scale-down would bring poison-message limits closer for messages no handler saw.
    /// </summary>
    private async Task ReturnBufferedAsync(QueueConsumer consumer, CancellationToken cancellationToken)
    {
        try
        {
            if (consumer.Dead || consumer.Channel.IsClosed)
            {
                return;
            }

            await consumer.Channel.BasicCancelAsync(consumer.ConsumerTag, false, cancellationToken).ConfigureAwait(false);
            while (consumer.Reader.TryRead(out var delivery))
            {
                if (delivery.Redelivered || delivery.Generation != Interlocked.Read(ref _generation))
                {
                    continue;
                }

                await RepublishAsync(delivery, AmqpHeaders.PriorDeliveries(delivery.Properties), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await AckTagAsync(delivery, "return", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsConnectionFault(ex) || ex is OperationCanceledException or InvalidOperationException)
        {
            // The channel close hands the rest back; they count one delivery more, which errs on the safe side.
            logger.ReturnFailed(_name, consumer.Queue, ex.Message);
        }
    }
}
