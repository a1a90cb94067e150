namespace Asya.Gateway.Tasks;

/// <summary>The result of a store call that may change a task: the outcome, the task as it now is, and the stored update.</summary>
public sealed record TaskChange(TaskChangeOutcome Outcome, MeshTask? Task, TaskUpdate? Update)
{
    public static TaskChange NotFound { get; } = new(TaskChangeOutcome.NotFound, null, null);

    public static TaskChange Unchanged(MeshTask task) => new(TaskChangeOutcome.Unchanged, task, null);

    public static TaskChange Conflict(MeshTask task) => new(TaskChangeOutcome.Conflict, task, null);
}
