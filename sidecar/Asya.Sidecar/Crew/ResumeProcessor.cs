using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Crew;

/// <summary>
/// Crew actor x-resume: takes a resume message (payload = the input, header <c>x-asya-resume-task</c> = the task id,
/// else the envelope id), loads checkpoint <c>paused/&lt;task&gt;</c> from its state component (the one x-pause writes),
/// merges the input (<see cref="ResumeMerge"/>), restores the route and routes the task on. The checkpoint is deleted
/// with its ETag <em>before</em> the task is sent: of two resumes of one task only the one whose delete matched goes
/// on, the other finds nothing and is acked without routing. Should the send fail, the checkpoint is put back (first
/// write) and the message nacked, so a resume is never lost to a broker error.
/// </summary>
internal sealed class ResumeProcessor(
    SidecarOptions options,
    IStateStore store,
    Router router,
    EnvelopeSender sender,
    SidecarMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ResumeProcessor> logger,
    GatewayReporter? reporter = null) : IDeliveryHandler
{
    public async Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = timeProvider.GetUtcNow();
        if (!EnvelopeParser.TryParse(message.Body.Span, out var resume, out var error))
        {
            return await sender.DeadLetterUnparsableAsync(message.Body, error!, cancellationToken);
        }

        var taskId = resume!.Headers?[MeshHeaders.ResumeTask] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var named) && named.Length > 0
            ? named
            : resume.Id!;
        var key = PauseCheckpoint.Key(taskId);
        var checkpoint = await store.GetAsync(key, cancellationToken);
        if (checkpoint is null)
        {
            return Ignored(taskId, key);
        }

        var restored = PauseCheckpoint.Restore(checkpoint.Value.Span, resume, options.ResumeMergeMode, now);
        var routeAtResume = restored.Route!.Clone();
        var routed = router.RouteFrame(restored, new Frame { Payload = restored.Payload, Route = routeAtResume.Advance(), Headers = restored.Headers }, 0, now);
        try
        {
            if (!await store.DeleteAsync(key, checkpoint.ETag, cancellationToken))
            {
                return Ignored(taskId, key);
            }
        }
        catch (ETagMismatchException)
        {
            // Another resume of this task deleted (or rewrote) the checkpoint first: it routes the task, this one does not.
            return Ignored(taskId, key);
        }

        try
        {
            await sender.SendAsync(routed, TimeSpan.Zero, cancellationToken);
        }
        catch (EnvelopeSendException)
        {
            await store.SetAsync(new StateSetRequest(key, checkpoint.Value) { FirstWrite = true }, CancellationToken.None);
            throw;
        }

        if (reporter is not null && GatewayTarget.Of(restored) is { } gateway)
        {
            reporter.Report(gateway, GatewayReports.Hop(options.Actor, routeAtResume, GatewayReports.Completed, "Resumed"));
        }

        metrics.Count(DeliveryOutcome.Resumed);
        logger.TaskResumed(taskId, routed.Destination);
        return new DeliveryResult(true, DeliveryOutcome.Resumed, routed.Destination, taskId);
    }

    private DeliveryResult Ignored(string taskId, string key)
    {
        metrics.Count(DeliveryOutcome.ResumeIgnored);
        logger.ResumeWithoutCheckpoint(taskId, key);
        return new DeliveryResult(true, DeliveryOutcome.ResumeIgnored, "none", taskId);
    }
}
