using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Crew;

/// <summary>
/// Crew actor x-pause: stores the task's checkpoint (<see cref="PauseCheckpoint"/>) in its state component under
/// <c>paused/&lt;id&gt;</c>, reports <c>paused</c> with the pause metadata to the task's gateway, and routes nothing:
/// the task waits until x-resume gets its resume input. A redelivery writes the same checkpoint again.
/// </summary>
internal sealed class PauseProcessor(
    SidecarOptions options,
    IStateStore store,
    EnvelopeSender sender,
    SidecarMetrics metrics,
    TimeProvider timeProvider,
    ILogger<PauseProcessor> logger,
    GatewayReporter? reporter = null) : IDeliveryHandler
{
    public async Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = timeProvider.GetUtcNow();
        if (!EnvelopeParser.TryParse(message.Body.Span, out var envelope, out var parseError))
        {
            return await sender.DeadLetterUnparsableAsync(message.Body, parseError!, cancellationToken);
        }

        if (envelope!.Route!.Curr != options.Actor)
        {
            var error = $"Route mismatch: message routed to wrong actor (expected: {options.Actor}, actual: {envelope.Route.Curr})";
            return await sender.DeadLetterAsync(envelope, error, EnvelopeReason.RouteMismatch, DeliveryOutcome.RouteMismatch, cancellationToken);
        }

        var metadata = PauseMetadata.For(envelope, options.PauseMetadataJson);
        var key = PauseCheckpoint.Key(envelope.Id!);
        await store.SetAsync(new StateSetRequest(key, PauseCheckpoint.Create(envelope, metadata, options.Actor, now)), cancellationToken);
        if (reporter is not null && GatewayTarget.Of(envelope) is { } gateway)
        {
            reporter.Report(gateway, GatewayReports.Paused(options.Actor, envelope.Route, metadata));
        }

        metrics.Count(DeliveryOutcome.Paused);
        logger.TaskPaused(envelope.Id!, options.Actor, key);
        return new DeliveryResult(true, DeliveryOutcome.Paused, "state-store", envelope.Id);
    }
}
