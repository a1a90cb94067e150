using System.Text.Json.Nodes;

namespace Asya.Gateway.Tasks;

/// <summary>What an <see cref="ITaskEventHub"/> carries to a task's subscribers: a stored update, or a FLY event.</summary>
public sealed record TaskEvent
{
    public required string TaskId { get; init; }

    public required TaskEventKind Kind { get; init; }

    /// <summary>The stored update, for <see cref="TaskEventKind.Status"/> and <see cref="TaskEventKind.Progress"/>.</summary>
    public TaskUpdate? Update { get; init; }

    /// <summary>The FLY body, for <see cref="TaskEventKind.Fly"/>.</summary>
    public JsonNode? Data { get; init; }

    /// <summary>The actor that yielded the FLY event.</summary>
    public string? Actor { get; init; }

    public static TaskEvent ForUpdate(TaskUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new TaskEvent { TaskId = update.TaskId, Kind = update.Kind, Update = update, Actor = update.Actor };
    }

    public static TaskEvent ForFly(string taskId, string? actor, JsonNode? data) =>
        new() { TaskId = taskId, Kind = TaskEventKind.Fly, Actor = actor, Data = data };
}
