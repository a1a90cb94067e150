using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Google.Protobuf;
using Grpc.Core;

namespace Asya.Components.Gcp;

// Publishing: sends, with the transport's attributes for delays and empty messages, retried while the connection is re-established.
internal sealed partial class GcpPubSubTransport
{
    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var state = State(queue);
        if (message.Body.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"Pub/Sub transport '{Name}': a message of {message.Body.Length} bytes for queue '{queue}' is larger than Pub/Sub takes " +
                $"(at most {MaxMessageBytes} bytes of data)",
                nameof(message));
        }

        var outgoing = new PubsubMessage { Data = UnsafeByteOperations.UnsafeWrap(message.Body) };
        TransportAttributes.SetHeaders(outgoing, message.Headers, nameof(message));

        DateTimeOffset? due = message.Delay > TimeSpan.Zero ? timeProvider.GetUtcNow() + message.Delay : null;
        if (due is { } notBefore)
        {
            outgoing.Attributes[TransportAttributes.NotBefore] = TransportAttributes.Format(notBefore);
        }

        if (outgoing.Data.IsEmpty && outgoing.Attributes.Count == 0)
        {
            outgoing.Attributes[TransportAttributes.Empty] = "1";
        }

        if (Settings.EnableMessageOrdering && Settings.OrderingKey is { } orderingKey)
        {
            outgoing.OrderingKey = orderingKey;
        }

        var id = await PublishAsync(state, outgoing, cancellationToken).ConfigureAwait(false);
        if (due is { } dueAt)
        {
            state.Delayed[id] = dueAt;
        }
    }

    private async Task<string> PublishAsync(QueueState state, PubsubMessage message, CancellationToken cancellationToken)
    {
        if (Settings.ManageEntities)
        {
            // Pub/Sub drops what is published to a topic without subscriptions, so both exist before the first send.
            await EnsureAsync(state, cancellationToken).ConfigureAwait(false);
        }

        var request = new PublishRequest { Topic = state.Topic, Messages = { message } };
        var retries = new Backoff(TimeSpan.FromMilliseconds(100), Settings.ReconnectCap);
        var backoff = retries.First;
        var started = timeProvider.GetTimestamp();
        var recreated = false;
        while (true)
        {
            try
            {
                return (await Connection.Publisher.PublishAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false)).MessageIds[0];
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !recreated)
            {
                if (!Settings.ManageEntities)
                {
                    throw new InvalidOperationException(
                        $"Pub/Sub transport '{Name}': topic {state.Topic} does not exist and disableEntityManagement is set; create it and its subscription {state.Subscription}",
                        ex);
                }

                // Deleted behind our back, or an emulator that restarted empty.
                await RecreateAsync(state, cancellationToken).ConfigureAwait(false);
                recreated = true;
            }
            catch (RpcException ex) when (IsConnectionFault(ex) && timeProvider.GetElapsedTime(started) < PublishRetryBudget)
            {
                // A connection being re-established; the send is retried (at least once, as the contract allows).
                await Task.Delay(backoff, timeProvider, cancellationToken).ConfigureAwait(false);
                backoff = retries.Next(backoff);
            }
        }
    }
}
