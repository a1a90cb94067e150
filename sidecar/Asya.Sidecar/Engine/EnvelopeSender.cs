using System.Diagnostics;
using Asya.Components.Abstractions;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;

namespace Asya.Sidecar.Engine;

/// <summary>Serializes and sends envelopes to actor queues, with the actor.queue.send span and send metrics.</summary>
internal sealed class EnvelopeSender(SidecarOptions options, ITransport transport, SidecarMetrics metrics, TimeProvider timeProvider)
{
    public async Task<string> SendAsync(RoutedEnvelope routed, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(routed);
        var queue = options.QueueOf(routed.Destination);
        using var activity = SidecarTracing.Source.StartActivity("actor.queue.send", ActivityKind.Producer);
        activity?.SetTag("asya.destination_queue", queue);
        activity?.SetTag("asya.message_type", routed.MessageType);
        SidecarTracing.Inject(routed.Envelope);
        var body = routed.Envelope.ToUtf8Bytes();
        var started = timeProvider.GetTimestamp();
        try
        {
            await transport.SendAsync(queue, new OutgoingMessage(body) { Delay = delay }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new EnvelopeSendException(queue, ex);
        }

        metrics.Sent(queue, routed.MessageType, body.Length, timeProvider.GetElapsedTime(started));
        return routed.Destination;
    }
}
