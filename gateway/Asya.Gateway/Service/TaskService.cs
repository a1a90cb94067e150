using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Gateway.Api;
using Asya.Gateway.Configuration;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Service;

/// <summary>
/// What the gateway does with tasks, whatever protocol asked (tasks API now; MCP and A2A are thin adapters over it):
/// submit (store, then send the envelope), apply a sidecar's report, cancel, resume. Every stored change is published to
/// the task's live subscribers once stored.
/// </summary>
internal sealed class TaskService(
    ITaskStore store,
    ITaskEventHub hub,
    IMeshClient mesh,
    GatewayOptions options,
    GatewayAddresses addresses,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<TaskService> logger)
{
    private readonly LiveTaskIds _live = new();

    public ITaskStore Store => store;

    public ITaskEventHub Hub => hub;

    /// <summary>
    /// Creates the task, then sends its envelope to the first actor's queue: a sidecar's first report always finds the
    /// task. A send that fails marks the task failed and throws <see cref="SendFailedException"/>.
    /// </summary>
    public async Task<MeshTask> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var envelope = EnvelopeFactory.Create(request.Route, request.Payload, time);
        if (request.Headers is { } headers)
        {
            envelope.Headers = (JsonObject)headers.DeepClone();
        }

        // The gateway's own headers win over the client's: a client cannot point reports elsewhere.
        envelope.EnsureHeaders()[MeshHeaders.GatewayUrl] = addresses.MeshUrl;
        if (request.Timeout is { } timeout)
        {
            envelope.Status!.DeadlineAt = envelope.Status.CreatedAt + timeout;
        }

        using var activity = GatewayTracing.StartTask(envelope, request.Flow);
        var task = await store.CreateAsync(
            new NewTask
            {
                Id = envelope.Id!,
                Flow = request.Flow,
                Route = envelope.Route!.Clone(),
                Payload = JsonNode.Parse(request.Payload.GetRawText()),
                Timeout = request.Timeout,
            },
            cancellationToken).ConfigureAwait(false);
        var queue = ActorNames.Queue(options.Namespace, request.Route[0]);
        try
        {
            await mesh.SendAsync(queue, envelope.ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.TaskSendFailed(ex, task.Id, queue);
            metrics.Submitted(sent: false);
            await ApplyReportAsync(
                task.Id,
                new TaskReport { Status = TaskReportStatus.Failed, Error = JsonValue.Create($"could not send to queue {queue}: {ex.Message}"), Message = "send failed" },
                CancellationToken.None).ConfigureAwait(false);
            throw new SendFailedException($"could not send the task to queue {queue}", ex);
        }

        metrics.Submitted(sent: true);
        logger.TaskSubmitted(task.Id, queue, request.Flow);
        return task;
    }

    /// <summary>Stores a sidecar's status report through the rules and publishes what changed.</summary>
    public async Task<TaskChange> ApplyReportAsync(string id, TaskReport report, CancellationToken cancellationToken)
    {
        var change = await store.ApplyReportAsync(id, report, cancellationToken).ConfigureAwait(false);
        await PublishAsync(change, cancellationToken).ConfigureAwait(false);
        return change;
    }

    /// <summary>
    /// Passes FLY events on to the task's live subscribers, together and in order; false when the task is unknown. A task
    /// seen running before is not read from the store again (<see cref="LiveTaskIds"/>).
    /// </summary>
    public async Task<bool> PublishFlyAsync(string id, IReadOnlyList<TaskReport> reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (!_live.Contains(id))
        {
            if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } task)
            {
                return false;
            }

            if (!TaskRules.IsTerminal(task.Status))
            {
                _live.Add(id);
            }
        }

        await hub.PublishBatchAsync([.. reports.Select(r => TaskEvent.ForFly(id, r.Actor, r.Data))], cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<TaskChange> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var change = await store.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        await PublishAsync(change, cancellationToken).ConfigureAwait(false);
        return change;
    }

    /// <summary>
    /// Paused → running in the store (of two resumes exactly one gets <see cref="TaskChangeOutcome.Applied"/>), then the
    /// input goes to x-resume with header <c>x-asya-resume-task</c> and the time left in <c>x-asya-resume-timeout</c>.
    /// </summary>
    public async Task<TaskChange> ResumeAsync(string id, JsonElement payload, CancellationToken cancellationToken)
    {
        var change = await store.ResumeAsync(id, cancellationToken).ConfigureAwait(false);
        if (change.Outcome != TaskChangeOutcome.Applied)
        {
            return change;
        }

        var task = change.Task!;
        var message = EnvelopeFactory.Create([ActorNames.Resume], payload, time);
        var headers = message.EnsureHeaders();
        headers[MeshHeaders.ResumeTask] = id;
        headers[MeshHeaders.GatewayUrl] = addresses.MeshUrl;
        if (task.Deadline is { } deadline)
        {
            var left = Math.Max(0, (deadline - time.GetUtcNow()).TotalSeconds);
            headers[MeshHeaders.ResumeTimeout] = left.ToString("0.###", CultureInfo.InvariantCulture);
        }

        var queue = ActorNames.Queue(options.Namespace, ActorNames.Resume);
        await mesh.SendAsync(queue, message.ToUtf8Bytes(), cancellationToken).ConfigureAwait(false);
        logger.TaskResumed(id, queue);
        await PublishAsync(change, cancellationToken).ConfigureAwait(false);
        return change;
    }

    /// <summary>The backstop's step: fails a task past its deadline and publishes it.</summary>
    public async Task<TaskChange> TimeOutAsync(string id, CancellationToken cancellationToken)
    {
        var change = await store.TimeOutAsync(id, cancellationToken).ConfigureAwait(false);
        if (change.Outcome == TaskChangeOutcome.Applied)
        {
            logger.TaskTimedOut(id);
        }

        await PublishAsync(change, cancellationToken).ConfigureAwait(false);
        return change;
    }

    private async Task PublishAsync(TaskChange change, CancellationToken cancellationToken)
    {
        if (change is { Outcome: TaskChangeOutcome.Applied, Update: { } update, Task: { } task })
        {
            if (TaskRules.IsTerminal(task.Status))
            {
                _live.Remove(task.Id);
            }

            if (update.Kind == TaskEventKind.Status)
            {
                logger.TaskChanged(task.Id, task.Status.ToWire(), update.Message is { } m ? $": {m}" : "");
            }

            await hub.PublishAsync(TaskEvent.ForUpdate(update), cancellationToken).ConfigureAwait(false);
        }
    }
}
