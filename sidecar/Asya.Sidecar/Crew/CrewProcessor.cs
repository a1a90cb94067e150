using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Crew;

/// <summary>
/// Built-in terminal actors. x-sink stores every finished envelope under its id and forwards failed ones to x-sump;
/// x-sump stores under <c>sump/&lt;id&gt;</c>, logs and counts. Writes are keyed by id, so redeliveries are harmless.
/// For a gateway task, x-sink reports <c>succeeded</c> (or the <c>canceled</c> / <c>paused</c> of a pre-flight divert)
/// and x-sump reports <c>failed</c>; a failed envelope passes both and is reported once, by x-sump.
/// </summary>
internal sealed class CrewProcessor(
    SidecarOptions options,
    IStateStore store,
    EnvelopeSender sender,
    SidecarMetrics metrics,
    TimeProvider timeProvider,
    ILogger<CrewProcessor> logger,
    GatewayReporter? reporter = null) : IDeliveryHandler
{
    public const string SumpKeyPrefix = ResultKeys.SumpPrefix;

    private bool IsSink => options.Builtin == options.Sink;

    public async Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.Body;
        if (!EnvelopeParser.TryParse(body.Span, out var envelope, out var error))
        {
            metrics.Count(DeliveryOutcome.ParseError);
            envelope = FailureEnvelopes.Unparsable(body.Span, error!, options.Actor, options.Sump, timeProvider.GetUtcNow());
            body = envelope.ToUtf8Bytes();
            if (IsSink)
            {
                await sender.SendAsync(new RoutedEnvelope(envelope, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
                return new DeliveryResult(true, DeliveryOutcome.ParseError, options.Sump, envelope.Id);
            }
        }

        if (IsSink)
        {
            await store.SetAsync(new StateSetRequest(envelope!.Id!, body), cancellationToken);
            if (envelope.Status?.Phase == EnvelopePhase.Failed)
            {
                metrics.Count(DeliveryOutcome.StoredFailed);
                await sender.SendAsync(new RoutedEnvelope(envelope, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
                return new DeliveryResult(true, DeliveryOutcome.StoredFailed, options.Sump, envelope.Id);
            }

            metrics.Count(DeliveryOutcome.Stored);
            ReportFinal(envelope, atSump: false);
            return new DeliveryResult(true, DeliveryOutcome.Stored, "result-store", envelope.Id);
        }

        await store.SetAsync(new StateSetRequest(SumpKeyPrefix + envelope!.Id, body), cancellationToken);
        ReportFinal(envelope, atSump: true);
        var deadLettered = DeliveryOutcome.DeadLettered(envelope.Status?.Reason);
        metrics.Count(deadLettered);
        logger.DeadLettered(envelope.Id!, envelope.Status?.Reason ?? "", envelope.Status?.Actor ?? "", envelope.Status?.Error?.Type ?? "");
        return new DeliveryResult(true, deadLettered, "result-store", envelope.Id);
    }

    private void ReportFinal(Envelope envelope, bool atSump)
    {
        if (reporter?.TargetOf(envelope) is { } gateway && GatewayReports.Final(envelope, options.Actor, atSump) is { } report)
        {
            reporter.Report(gateway, report);
        }
    }
}
