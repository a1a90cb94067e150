using System.Text.Json;
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
/// The mesh port (spec "Mesh port"): sidecars post a task's status and FLY events, and read its status before running a
/// handler (pre-flight). 204 applied or dropped as stale, 404 unknown task (the sidecar stops reporting it), 400 bad JSON.
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
        string id, HttpContext context, TaskService tasks, GatewayOptions options, GatewayMetrics metrics, TimeProvider time)
    {
        var (document, error) = await JsonBody.ReadAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        TaskReport? report;
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return JsonBody.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object {type, status|data, actor, route, ...}");
            }

            try
            {
                report = root.Deserialize<TaskReport>(TaskJson.Options);
            }
            catch (JsonException ex)
            {
                return JsonBody.Error(StatusCodes.Status400BadRequest, $"{ex.Path ?? "body"}: {ex.Message}");
            }

            // Optional report time, stamped by the sidecar when the event happened: the lag metric measures the way here.
            if (root.TryGetProperty("time", out var stamp) && stamp.ValueKind == JsonValueKind.String && stamp.TryGetDateTimeOffset(out var at))
            {
                metrics.ReportLag(time.GetUtcNow() - at);
            }
        }

        if (report is null)
        {
            return JsonBody.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object");
        }

        if (report.Type == TaskReportType.Fly)
        {
            var known = await tasks.PublishFlyAsync(id, report, context.RequestAborted).ConfigureAwait(false);
            metrics.Reported(TaskReportType.Fly, known ? TaskChangeOutcome.Applied : TaskChangeOutcome.NotFound);
            return known ? Results.NoContent() : TasksEndpoints.Unknown(id);
        }

        if (report.Status is null)
        {
            return JsonBody.Error(StatusCodes.Status400BadRequest, "status: required for type status (running with a phase, received, processing, completed, paused, succeeded, failed, canceled)");
        }

        if (report.Normalized() is not { } normalized)
        {
            return JsonBody.Error(StatusCodes.Status400BadRequest, "phase: must be received, processing or completed with status running");
        }

        report = normalized;

        var change = await tasks.ApplyReportAsync(id, report, context.RequestAborted).ConfigureAwait(false);
        metrics.Reported(TaskReportType.Status, change.Outcome);
        return change.Outcome == TaskChangeOutcome.NotFound ? TasksEndpoints.Unknown(id) : Results.NoContent();
    }
}
