using Amazon.SQS;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

// In-flight messages: ack deletes (batched), nack and lease extension change the visibility, or send a delayed copy.
internal sealed partial class SqsTransport
{
    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "ack"))
        {
            return;
        }

        await DeleteAsync(own, "ack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "nack"))
        {
            // Back in the queue already (its lease ran out); a copy or a visibility change now would hit another holder.
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            await ChangeVisibilityAsync(own, 0, "nack", cancellationToken).ConfigureAwait(false);
            return;
        }

        // A copy with DelaySeconds counts as delayed (a hidden original would count as in flight) and can wait
        // longer than a visibility timeout; it carries the deliveries so far, and the original goes once it is sent.
        if (_settings.DeadLetter && !IsDeadLetterQueue(own.Queue) && own.DeliveryCount >= _settings.MaxReceiveCount)
        {
            var deadLetterQueue = own.Queue + DeadLetterSuffix;
            await SendCoreAsync(deadLetterQueue, own.Body, own.Headers, TimeSpan.Zero, own.DeliveryCount, cancellationToken).ConfigureAwait(false);
            logger.DeadLettered(own.Id, own.Queue, own.DeliveryCount, deadLetterQueue);
        }
        else
        {
            await SendCoreAsync(own.Queue, own.Body, own.Headers, delay, own.DeliveryCount, cancellationToken).ConfigureAwait(false);
        }

        await DeleteAsync(own, "nack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (LeaseExpired(own, "lease extension"))
        {
            return;
        }

        var seconds = Seconds(extension, 0, MaxVisibilitySeconds);
        var leaseEnds = timeProvider.GetUtcNow().AddSeconds(seconds);
        await ChangeVisibilityAsync(own, seconds, "lease extension", cancellationToken).ConfigureAwait(false);
        own.LeaseEnds = leaseEnds;
    }

    /// <summary>True (and logged) when <paramref name="message"/>'s lease has run out, so the call must leave it alone.</summary>
    private bool LeaseExpired(SqsMessage message, string operation)
    {
        if (timeProvider.GetUtcNow() < message.LeaseEnds)
        {
            return false;
        }

        logger.StaleDelivery(operation, message.Id, message.Queue);
        return true;
    }

    private async Task DeleteAsync(SqsMessage message, string operation, CancellationToken cancellationToken)
    {
        var acks = _acks ?? throw new ObjectDisposedException(nameof(SqsTransport), $"SQS transport '{_settings.ComponentName}' is closed");
        var deleted = await GuardAsync(
            "DeleteMessageBatch (" + operation + ")", message.Queue,
            ct => acks.DeleteAsync(message.QueueUrl, message.ReceiptHandle, ct), cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
    }

    private async Task ChangeVisibilityAsync(SqsMessage message, int seconds, string operation, CancellationToken cancellationToken) =>
        await GuardAsync("ChangeMessageVisibility (" + operation + ")", message.Queue, async ct =>
        {
            try
            {
                await Client.ChangeMessageVisibilityAsync(message.QueueUrl, message.ReceiptHandle, seconds, ct).ConfigureAwait(false);
            }
            catch (AmazonSQSException ex) when (ex is ReceiptHandleIsInvalidException or MessageNotInflightException || SqsAckBatcher.IsStaleReceipt(ex.ErrorCode)
                || (int)ex.StatusCode == 404)
            {
                logger.StaleDelivery(operation, message.Id, message.Queue);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

    private SqsMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is SqsMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by SQS transport '{_settings.ComponentName}'", nameof(message));
    }
}
