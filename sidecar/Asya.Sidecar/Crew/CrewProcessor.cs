using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Crew;

/// <summary>
/// Built-in terminal actors. x-sink stores every finished envelope under its id and forwards failed ones to x-sump;
/// x-sump stores under <c>sump/&lt;id&gt;</c>, logs and counts. Writes are keyed by id, so redeliveries are harmless.
/// </summary>
internal sealed class CrewProcessor(
    SidecarOptions options,
    IStateStore store,
    EnvelopeSender sender,
    SidecarMetrics metrics,
    TimeProvider timeProvider,
    ILogger<CrewProcessor> logger) : IDeliveryHandler
{
    public const string SumpKeyPrefix = ResultKeys.SumpPrefix;

    private bool IsSink => options.Builtin == options.Sink;

    public async Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Body;
        if (!EnvelopeParser.TryParse(body.Span, out var envelope, out var error))
        {
            metrics.Failed("parse_error");
            envelope = FailureEnvelopes.Unparsable(body.Span, error!, options.Actor, options.Sump, timeProvider.GetUtcNow());
            body = envelope.ToUtf8Bytes();
            if (IsSink)
            {
                await sender.SendAsync(new RoutedEnvelope(envelope, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
                return new DeliveryResult(true, "parse-error", options.Sump, envelope.Id);
            }
        }

        if (IsSink)
        {
            await store.SetAsync(new StateSetRequest(envelope!.Id!, body), cancellationToken);
            metrics.Processed("end_consumed");
            if (envelope.Status?.Phase == EnvelopePhase.Failed)
            {
                await sender.SendAsync(new RoutedEnvelope(envelope, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
                return new DeliveryResult(true, "stored, failed", options.Sump, envelope.Id);
            }

            return new DeliveryResult(true, "stored", "result-store", envelope.Id);
        }

        await store.SetAsync(new StateSetRequest(SumpKeyPrefix + envelope!.Id, body), cancellationToken);
        metrics.Processed("end_consumed");
        metrics.Failed(envelope.Status?.Reason ?? "unknown");
        logger.DeadLettered(envelope.Id!, envelope.Status?.Reason ?? "", envelope.Status?.Actor ?? "", envelope.Status?.Error?.Type ?? "");
        return new DeliveryResult(true, "dead-lettered", "result-store", envelope.Id);
    }
}
