using System.Globalization;
using System.Text.Json;
using Asya.Gateway.Configuration;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Asya.Hosting.Sse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Api;

/// <summary>
/// <c>GET /api/v1/mesh/{id}/events</c>: the first event is the task's current state (<c>status</c>), or with
/// <c>Last-Event-ID</c> the stored updates after that id; then <c>status</c>, <c>progress</c> and <c>fly</c> events live
/// until the task is finished, when the stream closes. Stored updates carry their sequence number as the event id (FLY
/// events none, they are not replayable by id). Without <c>Last-Event-ID</c>, the task's recent FLY events that this
/// replica remembers (<see cref="RecentFlyEvents"/>) follow the snapshot of a running task (precede that of a finished
/// one), so a client that subscribes right after submitting sees every token. An idle stream gets <c>: keepalive</c>
/// every interval, after reading the store for stored updates it did not hear of (a lost notification). The subscription
/// is taken before the store is read, so nothing published in between is missed (repeats are skipped by sequence).
/// Events read together are flushed together.
/// </summary>
internal sealed class TaskEventStream(ITaskStore store, ITaskEventHub hub, GatewayOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<TaskEventStream> logger)
{
    public async Task RunAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.RequestAborted;
        var lastEventId = LastEventId(context.Request);
        // A reconnecting client (Last-Event-ID) saw the task's FLY events before: they are not replayed to it.
        using var subscription = hub.Subscribe(id, withRecentFly: lastEventId is null);
        var task = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (task is null)
        {
            await Results.Json(new ErrorBody($"unknown task '{id}'"), GatewayJson.Options, statusCode: StatusCodes.Status404NotFound)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.ContentType = SseWriter.ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.Body;
        long sent;
        var status = task.Status;
        if (lastEventId is { } after)
        {
            sent = after;
            foreach (var update in await store.GetUpdatesAsync(id, after, cancellationToken).ConfigureAwait(false))
            {
                await WriteUpdateAsync(body, update, task, cancellationToken).ConfigureAwait(false);
                sent = update.Sequence;
                status = update.Status;
            }

            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var updates = await store.GetUpdatesAsync(id, 0, cancellationToken).ConfigureAwait(false);
            sent = updates.Count > 0 ? updates[^1].Sequence : 0;
            var data = TaskEventBody.Of(task, updates.Count > 0 ? updates[^1].Message : null);
            // The recent FLY events come after the snapshot of a running task, and before that of a finished one, whose
            // stream ends with its terminal status.
            var finished = TaskRules.IsTerminal(task.Status);
            if (finished)
            {
                await WriteRecentFlyAsync(body, subscription, cancellationToken).ConfigureAwait(false);
            }

            await SseWriter.WriteEventAsync(body, "status", Json(data), sent.ToString(CultureInfo.InvariantCulture), flush: finished, cancellationToken).ConfigureAwait(false);
            if (!finished)
            {
                await WriteRecentFlyAsync(body, subscription, cancellationToken).ConfigureAwait(false);
            }

            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (!TaskRules.IsTerminal(status) && !TaskRules.IsTerminal(task.Status))
            {
                await StreamLiveAsync(body, subscription, task, sent, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; disposing the subscription is all the cleanup there is.
        }
        finally
        {
            if (subscription.DroppedFly > 0)
            {
                metrics.FlyDropped(subscription.DroppedFly);
                logger.FlyDropped(id, subscription.DroppedFly);
            }
        }
    }

    private async Task StreamLiveAsync(Stream body, TaskSubscription subscription, MeshTask task, long sent, CancellationToken cancellationToken)
    {
        var events = subscription.Events;
        var keepalive = Task.Delay(options.KeepaliveInterval, time, cancellationToken);
        var ready = events.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            // One pending read is kept across keepalives: a new WaitToReadAsync per tick would pile up waiters.
            if (await Task.WhenAny(ready, keepalive).ConfigureAwait(false) == keepalive)
            {
                await keepalive.ConfigureAwait(false);
                // An idle stream also catches up from the store: an event lost on the way (a PostgreSQL listener that
                // reconnected, a replica that died between storing and notifying) must not leave it open forever.
                foreach (var missed in await store.GetUpdatesAsync(task.Id, sent, cancellationToken).ConfigureAwait(false))
                {
                    await WriteUpdateAsync(body, missed, task, cancellationToken).ConfigureAwait(false);
                    sent = missed.Sequence;
                    if (TaskRules.IsTerminal(missed.Status))
                    {
                        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }

                await SseWriter.WriteCommentAsync(body, "keepalive", cancellationToken).ConfigureAwait(false);
                keepalive = Task.Delay(options.KeepaliveInterval, time, cancellationToken);
                continue;
            }

            if (!await ready.ConfigureAwait(false))
            {
                return;
            }

            // Everything buffered goes out with one flush: a burst of FLY events is one write to the client, not one each.
            while (events.TryRead(out var taskEvent))
            {
                if (taskEvent.Kind == TaskEventKind.Fly)
                {
                    await WriteFlyAsync(body, taskEvent, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (taskEvent.Update is not { } update || update.Sequence <= sent)
                {
                    continue;
                }

                await WriteUpdateAsync(body, update, task, cancellationToken).ConfigureAwait(false);
                sent = update.Sequence;
                if (TaskRules.IsTerminal(update.Status))
                {
                    await body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            ready = events.WaitToReadAsync(cancellationToken).AsTask();
        }
    }

    /// <summary>A stored update, not flushed; a terminal or paused one carries the result, error or prompt, read from the store.</summary>
    private async Task WriteUpdateAsync(Stream body, TaskUpdate update, MeshTask known, CancellationToken cancellationToken)
    {
        var data = TaskEventBody.Of(update);
        if (update.Kind == TaskEventKind.Status && (TaskRules.IsTerminal(update.Status) || update.Status == TaskState.Paused))
        {
            var task = known.Status == update.Status ? known : await store.GetAsync(update.TaskId, cancellationToken).ConfigureAwait(false);
            if (task is not null && task.Status == update.Status)
            {
                data = data with { Result = task.Result, Error = task.Error, PauseMetadata = task.PauseMetadata };
            }
        }

        var name = update.Kind == TaskEventKind.Status ? "status" : "progress";
        await SseWriter.WriteEventAsync(body, name, Json(data), update.Sequence.ToString(CultureInfo.InvariantCulture), flush: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteRecentFlyAsync(Stream body, TaskSubscription subscription, CancellationToken cancellationToken)
    {
        foreach (var taskEvent in subscription.RecentFly)
        {
            await WriteFlyAsync(body, taskEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ValueTask WriteFlyAsync(Stream body, TaskEvent taskEvent, CancellationToken cancellationToken) =>
        SseWriter.WriteEventAsync(body, "fly", taskEvent.Data?.ToJsonString(GatewayJson.Options) ?? "null", null, flush: false, cancellationToken);

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string Json(TaskEventBody data) => JsonSerializer.Serialize(data, GatewayJson.Options);
}
