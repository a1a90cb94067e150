using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

// Publishing: the body and headers encoded for SQS, delays beyond its 15 minutes carried as a due time.
internal sealed partial class SqsTransport
{
    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        await SendCoreAsync(queue, message.Body, message.Headers, message.Delay, priorDeliveries: 0, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendCoreAsync(
        string queue, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers, TimeSpan delay, int priorDeliveries, CancellationToken cancellationToken)
    {
        var delaySeconds = delay > TimeSpan.Zero ? (int)Math.Ceiling(delay.TotalSeconds) : 0;
        long? notBefore = null;
        if (delaySeconds > MaxDelaySeconds)
        {
            notBefore = timeProvider.GetUtcNow().Add(delay).ToUnixTimeMilliseconds();
            delaySeconds = MaxDelaySeconds;
        }

        var (text, encoding) = SqsCodec.EncodeBody(body.Span);
        var attributes = SqsCodec.EncodeAttributes(headers, encoding, notBefore, priorDeliveries);
        var size = SqsCodec.Size(text, attributes);
        if (size > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"SQS transport '{_settings.ComponentName}': a message of {body.Length} bytes for queue '{queue}' takes {size} bytes on SQS " +
                $"({(encoding == SqsCodec.Base64Encoding ? "binary, so base64" : "text")} plus attributes); SQS takes at most {MaxMessageBytes} (256 KiB)",
                nameof(body));
        }

        await CallAsync("SendMessage", queue, create: _settings.ManageQueues, (url, ct) => Client.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = text,
            DelaySeconds = delaySeconds,
            MessageAttributes = attributes,
        }, ct), cancellationToken).ConfigureAwait(false);
    }
}
