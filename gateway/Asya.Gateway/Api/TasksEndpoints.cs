using System.Globalization;
using System.Text.Json;
using Asya.Gateway.Configuration;
using Asya.Gateway.Flows;
using Asya.Gateway.Hosting;
using Asya.Gateway.Service;
using Asya.Gateway.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Asya.Gateway.Api;

/// <summary>The tasks API on the api port (spec "Tasks API"): submit, list, get, events, cancel, resume.</summary>
internal static class TasksEndpoints
{
    public const string Prefix = "/api/v1/mesh";

    public static void MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).OnListener(Listener.Api);
        api.MapPost("", SubmitAsync);
        api.MapGet("", ListAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapGet("/{id}/events", (HttpContext context, string id, TaskEventStream stream) => stream.RunAsync(context, id));
        api.MapDelete("/{id}", CancelAsync);
        api.MapPost("/{id}/resume", ResumeAsync);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, TaskService tasks, FlowRegistry flows, GatewayOptions options)
    {
        var (document, error) = await JsonBody.ReadAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        using (document)
        {
            var (request, status, problem) = SubmitRequest.Read(document!.RootElement, flows.Current);
            if (request is null)
            {
                return JsonBody.Error(status, problem!);
            }

            try
            {
                var task = await tasks.SubmitAsync(request, context.RequestAborted).ConfigureAwait(false);
                return Results.Json(new SubmitResponse(task.Id), GatewayJson.Options, statusCode: StatusCodes.Status201Created);
            }
            catch (SendFailedException ex)
            {
                return JsonBody.Error(StatusCodes.Status503ServiceUnavailable, $"{ex.Message}: {ex.InnerException?.Message}");
            }
        }
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ITaskStore store)
    {
        var query = request.Query;
        TaskState? status = null;
        if (query["status"].ToString() is { Length: > 0 } text)
        {
            if (!TaskStates.TryParse(text, out var parsed))
            {
                return JsonBody.Error(StatusCodes.Status400BadRequest, $"status: '{text}' is not pending, running, paused, succeeded, failed or canceled");
            }

            status = parsed;
        }

        if (!Number(query["limit"], TaskQuery.DefaultLimit, 1, 1000, out var limit))
        {
            return JsonBody.Error(StatusCodes.Status400BadRequest, "limit: must be a whole number from 1 to 1000");
        }

        if (!Number(query["offset"], 0, 0, int.MaxValue, out var offset))
        {
            return JsonBody.Error(StatusCodes.Status400BadRequest, "offset: must be a whole number, 0 or more");
        }

        var flow = query["flow"].ToString() is { Length: > 0 } f ? f : null;
        var page = await store.ListAsync(new TaskQuery(status, flow, limit, offset), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return Results.Json(new TaskListResponse(page.Tasks, page.Total), GatewayJson.Options);
    }

    private static async Task<IResult> GetAsync(string id, ITaskStore store, HttpContext context) =>
        await store.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } task
            ? Results.Json(task, GatewayJson.Options)
            : Unknown(id);

    private static async Task<IResult> CancelAsync(string id, TaskService tasks, HttpContext context)
    {
        var change = await tasks.CancelAsync(id, context.RequestAborted).ConfigureAwait(false);
        // Idempotent: a finished (or already canceled) task is left as it is, and the answer is the same.
        return change.Outcome == TaskChangeOutcome.NotFound ? Unknown(id) : Results.NoContent();
    }

    private static async Task<IResult> ResumeAsync(string id, HttpContext context, TaskService tasks, GatewayOptions options)
    {
        var (document, error) = await JsonBody.ReadAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("payload", out var payload))
            {
                return JsonBody.Error(StatusCodes.Status400BadRequest, "payload: required ({\"payload\": {...}})");
            }

            if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "payload") is { } extra)
            {
                return JsonBody.Error(StatusCodes.Status400BadRequest, $"{extra}: unknown field (known: payload)");
            }

            var change = await tasks.ResumeAsync(id, payload, context.RequestAborted).ConfigureAwait(false);
            return change.Outcome switch
            {
                TaskChangeOutcome.NotFound => Unknown(id),
                TaskChangeOutcome.Applied => Results.Json(new PreflightResponse(id, change.Task!.Status), GatewayJson.Options, statusCode: StatusCodes.Status202Accepted),
                _ => JsonBody.Error(StatusCodes.Status409Conflict, $"task '{id}' is {change.Task!.Status.ToWire()}, not paused: only a paused task resumes"),
            };
        }
    }

    internal static IResult Unknown(string id) => JsonBody.Error(StatusCodes.Status404NotFound, $"unknown task '{id}'");

    private static bool Number(Microsoft.Extensions.Primitives.StringValues text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return text.Count == 0 || (int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}
