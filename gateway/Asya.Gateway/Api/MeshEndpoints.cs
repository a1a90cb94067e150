using Asya.Gateway.Configuration;
using Asya.Gateway.Hosting;
using Asya.Gateway.Observability;
using Asya.Gateway.Service;
using Asya.Gateway.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Asya.Gateway.Api;

/// <summary>
/// The mesh port (spec "Mesh port"): sidecars post a task's status and FLY events, one report or a batch (a JSON array
/// applied in order, <see cref="MeshReportBody"/>), and read its status before running a handler (pre-flight). 204
/// applied or dropped as stale, 404 unknown task (the sidecar stops reporting it; the rest of a batch is not applied),
/// 400 bad JSON (nothing of the batch applied). While the task store cannot be reached, a status report is held and
/// applied later (<see cref="HeldReports"/>, 204) and a FLY event is dropped (503 once the rest of the batch was applied:
/// it is never stored, and its task cannot be looked up).
/// </summary>
internal static class MeshEndpoints
{
    public static void MapMeshPort(this IEndpointRouteBuilder endpoints)
    {
        var mesh = endpoints.MapGroup(TasksEndpoints.Prefix).OnListener(Listener.Mesh);
        mesh.MapPost("/{id}/events", ReportAsync);
        mesh.MapGet("/{id}", async (string id, ITaskStore store, HttpContext context) =>
            await store.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } task
                ? Results.Json(new PreflightResponse(task.Id, task.Status), GatewayJson.Options)
                : TasksEndpoints.Unknown(id));
    }

    private static async Task<IResult> ReportAsync(
        string id, HttpContext context, TaskService tasks, HeldReports held, GatewayOptions options, GatewayMetrics metrics, TimeProvider time)
    {
        var (document, error) = await JsonBody.ReadAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        List<TaskReport>? reports;
        using (document)
        {
            (reports, error) = MeshReportBody.Read(document!.RootElement, metrics, time);
            if (error is not null)
            {
                return error;
            }
        }

        // In order; a run of FLY events is published together (one liveness check, one hub publish, one SSE flush).
        IResult? dropped = null;
        for (var i = 0; i < reports!.Count;)
        {
            if (reports[i].Type == TaskReportType.Fly)
            {
                var end = i;
                while (end < reports.Count && reports[end].Type == TaskReportType.Fly)
                {
                    end++;
                }

                var flies = reports.GetRange(i, end - i);
                i = end;
                bool known;
                try
                {
                    known = await tasks.PublishFlyAsync(id, flies, context.RequestAborted).ConfigureAwait(false);
                }
                catch (TaskStoreUnavailableException ex)
                {
                    metrics.StoreUnavailable(TaskReportType.Fly, held: false, flies.Count);
                    dropped ??= JsonBody.Error(StatusCodes.Status503ServiceUnavailable, ex.Message);
                    continue;
                }

                metrics.Reported(TaskReportType.Fly, known ? TaskChangeOutcome.Applied : TaskChangeOutcome.NotFound, flies.Count);
                if (!known)
                {
                    return TasksEndpoints.Unknown(id);
                }

                continue;
            }

            var report = reports[i++];
            TaskChange change;
            try
            {
                change = await tasks.ApplyReportAsync(id, report, context.RequestAborted).ConfigureAwait(false);
            }
            catch (TaskStoreUnavailableException ex)
            {
                if (!held.Hold(id, report, ex))
                {
                    dropped ??= JsonBody.Error(StatusCodes.Status503ServiceUnavailable, ex.Message);
                }

                continue;
            }

            metrics.Reported(TaskReportType.Status, change.Outcome);
            if (change.Outcome == TaskChangeOutcome.NotFound)
            {
                return TasksEndpoints.Unknown(id);
            }
        }

        return dropped ?? Results.NoContent();
    }
}
