using System.Diagnostics;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;

namespace Asya.Sidecar.Engine;

/// <summary>
/// Serializes and sends envelopes to actor queues, with the actor.queue.send span and send metrics; also the one way
/// every actor and crew sidecar dead-letters what it will not process.
/// </summary>
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

    /// <summary>x-sump <c>ParseError</c> for queue bytes that are not an envelope: counted, sent, and the delivery's result.</summary>
    public async Task<DeliveryResult> DeadLetterUnparsableAsync(ReadOnlyMemory<byte> body, string error, CancellationToken cancellationToken)
    {
        metrics.Count(DeliveryOutcome.ParseError);
        var sump = FailureEnvelopes.Unparsable(body.Span, error, options.Actor, options.Sump, timeProvider.GetUtcNow());
        await SendAsync(new RoutedEnvelope(sump, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
        return new DeliveryResult(true, DeliveryOutcome.ParseError, options.Sump, sump.Id);
    }

    /// <summary>x-sump for an envelope this sidecar will not process (<paramref name="reason"/>): counted as <paramref name="outcome"/>, sent.</summary>
    public async Task<DeliveryResult> DeadLetterAsync(Envelope envelope, string error, string reason, DeliveryOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        metrics.Count(outcome);
        var sump = FailureEnvelopes.Infrastructure(envelope, error, reason, options.Actor, timeProvider.GetUtcNow());
        await SendAsync(new RoutedEnvelope(sump, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
        return new DeliveryResult(true, outcome, options.Sump, envelope.Id);
    }
}
