namespace Asya.Gateway.Tasks;

/// <summary>
/// One stored change of a task (its creation included, sequence 1). <see cref="Sequence"/> grows by one per change of
/// the task and is the SSE event id, so <c>Last-Event-ID</c> replays what came after it.
/// </summary>
/// <param name="Kind"><see cref="TaskEventKind.Status"/> when the status changed, else <see cref="TaskEventKind.Progress"/>.</param>
public sealed record TaskUpdate(
    string TaskId,
    long Sequence,
    TaskEventKind Kind,
    TaskState Status,
    double Progress,
    string? Actor,
    string? Message,
    DateTimeOffset Time);
