using System.Text.Json.Nodes;
using Asya.Gateway.Tasks;

namespace Asya.Gateway.Api;

/// <summary>Every error answer: <c>{"error": "..."}</c>, naming the field or the thing that is unknown.</summary>
internal sealed record ErrorBody(string Error);

/// <summary>The answer to a submit: the task's id (= the envelope's).</summary>
internal sealed record SubmitResponse(string Id);

/// <summary>A page of tasks, newest first, and how many match in all.</summary>
internal sealed record TaskListResponse(IReadOnlyList<MeshTask> Tasks, long Total);

/// <summary>The pre-flight answer on the mesh port: only what a sidecar decides on.</summary>
internal sealed record PreflightResponse(string Id, TaskState Status);

/// <summary>
/// The data of an SSE <c>status</c> or <c>progress</c> event: where the task is now and what changed; the final payload
/// or error on the terminal event, the prompt while paused.
/// </summary>
internal sealed record TaskEventBody
{
    public required string Id { get; init; }

    public required TaskState Status { get; init; }

    public double Progress { get; init; }

    public string? Actor { get; init; }

    public string? Message { get; init; }

    public required DateTimeOffset Time { get; init; }

    public JsonNode? Result { get; init; }

    public JsonNode? Error { get; init; }

    public JsonNode? PauseMetadata { get; init; }

    public static TaskEventBody Of(MeshTask task, string? message) => new()
    {
        Id = task.Id,
        Status = task.Status,
        Progress = task.Progress,
        Actor = task.Actor,
        Message = message,
        Time = task.UpdatedAt,
        Result = task.Result,
        Error = task.Error,
        PauseMetadata = task.PauseMetadata,
    };

    public static TaskEventBody Of(TaskUpdate update) => new()
    {
        Id = update.TaskId,
        Status = update.Status,
        Progress = update.Progress,
        Actor = update.Actor,
        Message = update.Message,
        Time = update.Time,
    };
}
