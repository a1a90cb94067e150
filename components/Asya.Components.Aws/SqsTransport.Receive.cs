using System.Globalization;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

// Receiving: long polls in whole seconds, the lease each message gets, and long-delayed messages that surface early sent back for the rest of their delay.
internal sealed partial class SqsTransport
{
    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var max = Math.Min(Math.Min(options.MaxMessages, _settings.MaxMessages), 10);
        var visibility = Seconds(options.VisibilityTimeout ?? _settings.VisibilityTimeout, 0, MaxVisibilitySeconds);
        var started = timeProvider.GetTimestamp();
        var first = true;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            while (true)
            {
                var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
                if (!first && remaining <= TimeSpan.Zero)
                {
                    return [];
                }

                first = false;
                // SQS long-polls in whole seconds: a wait is rounded up, so an empty answer never comes before the wait
                // time (rounding down made sub-second waits short polls, and idle consumers spin).
                var wait = (int)Math.Clamp(Math.Ceiling(remaining.TotalSeconds), 0, _settings.WaitTimeSeconds);
                var leaseEnds = timeProvider.GetUtcNow().AddSeconds(visibility);
                var response = await CallAsync("ReceiveMessage", queue, create: _settings.ManageQueues, (url, ct) => Client.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = url,
                    MaxNumberOfMessages = max,
                    WaitTimeSeconds = wait,
                    VisibilityTimeout = visibility,
                    MessageAttributeNames = ["All"],
                    MessageSystemAttributeNames = [ReceiveCountAttribute],
                }, ct), waiting.Token).ConfigureAwait(false);

                var accepted = await AcceptAsync(queue, response.Url, response.Value.Messages, leaseEnds, waiting.Token).ConfigureAwait(false);
                if (accepted.Count > 0)
                {
                    return accepted;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException
            && _closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Disposed while waiting: the receive ends empty; whatever SQS handed out meanwhile comes back after its lease.
            return [];
        }
    }

    /// <summary>Turns received SQS messages into ours; long-delayed ones that surfaced early go back for the rest of their delay.</summary>
    private async Task<IReadOnlyList<TransportMessage>> AcceptAsync(
        string queue, string url, List<Message>? received, DateTimeOffset leaseEnds, CancellationToken cancellationToken)
    {
        if (received is not { Count: > 0 })
        {
            return [];
        }

        var messages = new List<TransportMessage>(received.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sqs in received)
        {
            if (!seen.Add(sqs.MessageId))
            {
                continue;
            }

            var attributes = SqsCodec.DecodeAttributes(sqs.MessageAttributes);
            var receiveCount = sqs.Attributes is { } system && system.TryGetValue(ReceiveCountAttribute, out var text)
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 1;
            var message = new SqsMessage
            {
                Id = sqs.MessageId,
                Queue = queue,
                Body = SqsCodec.DecodeBody(sqs.Body, attributes.Encoding),
                Headers = attributes.Headers,
                DeliveryCount = (int)Math.Min(int.MaxValue, (long)attributes.PriorDeliveries + receiveCount),
                Owner = this,
                QueueUrl = url,
                ReceiptHandle = sqs.ReceiptHandle,
                LeaseEnds = leaseEnds,
            };

            if (attributes.NotBeforeUnixMs is { } due
                && DateTimeOffset.FromUnixTimeMilliseconds(due) - timeProvider.GetUtcNow() is var early && early > DueSlack)
            {
                await SendCoreAsync(queue, message.Body, message.Headers, early, attributes.PriorDeliveries, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(message, "deferral", cancellationToken).ConfigureAwait(false);
                logger.Deferred(message.Id, queue, early);
                continue;
            }

            messages.Add(message);
        }

        return messages;
    }
}
