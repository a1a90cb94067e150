using Asya.Components.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Asya.Components.RabbitMQ;

// Publishing: sends, and the republished copies that carry a delivery count or a delay.
internal sealed partial class RabbitMqTransport
{
    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"RabbitMQ transport '{_name}': a message of {message.Body.Length} bytes for queue '{queue}' is larger than consumers " +
                $"accept (at most {MaxMessageBytes} bytes, RabbitMQ.Client's MaxInboundMessageBodySize)",
                nameof(message));
        }

        var properties = new BasicProperties
        {
            MessageId = Guid.NewGuid().ToString("N"),
            Persistent = _settings.Persistent,
            Headers = message.Headers is { Count: > 0 } headers ? AmqpHeaders.ToAmqp(headers) : null,
        };
        await PublishAsync(queue, properties, message.Body, message.Delay, cancellationToken).ConfigureAwait(false);
    }

    private Task RepublishAsync(RabbitMqDelivery delivery, long deliveries, TimeSpan delay, CancellationToken cancellationToken)
    {
        var source = delivery.Properties;
        var headers = source.Headers is { } existing
            ? new Dictionary<string, object?>(existing.Where(h => !AmqpHeaders.IsTransportHeader(h.Key)))
            : [];
        headers[AmqpHeaders.DeliveryCount] = deliveries;
        var properties = new BasicProperties
        {
            MessageId = source.MessageId,
            Persistent = _settings.Persistent,
            ContentType = source.ContentType,
            ContentEncoding = source.ContentEncoding,
            CorrelationId = source.CorrelationId,
            Type = source.Type,
            Headers = headers,
        };
        return PublishAsync(delivery.Consumer.Queue, properties, delivery.Body, delay, cancellationToken);
    }

    private async Task PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken)
    {
        var routingKey = queue;
        if (delay > TimeSpan.Zero)
        {
            var bucket = DelayQueues.BucketMilliseconds(delay);
            routingKey = DelayQueues.Name(queue, bucket);
            var now = timeProvider.GetTimestamp();
            if (_delayQueues.NeedsDeclare(queue, bucket, now, timeProvider))
            {
                await AdminAsync(
                    channel => channel.QueueDeclareAsync(routingKey, _settings.Durable, false, false, DelayQueues.Arguments(queue, bucket), cancellationToken: cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                _delayQueues.Declared(queue, bucket, now);
            }
        }

        var retry = FirstRetry;
        while (true)
        {
            var channel = _publishChannel ?? throw new InvalidOperationException($"RabbitMQ transport '{_name}' is not initialised");
            try
            {
                await channel.BasicPublishAsync(string.Empty, routingKey, _settings.PublisherConfirm, properties, body, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PublishException ex) when (ex.IsReturn)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ transport '{_name}': queue '{routingKey}' does not exist, so the broker returned the message; create it first (autoCreate)");
            }
            catch (Exception ex) when ((IsConnectionFault(ex) || ex is PublishException) && !cancellationToken.IsCancellationRequested)
            {
                // The connection is down or the broker refused the message: the client reconnects by itself; try again.
                logger.PublishRetry(_name, routingKey, retry, ex.Message);
                await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                retry = Reconnect.Next(retry);
            }
        }
    }
}
