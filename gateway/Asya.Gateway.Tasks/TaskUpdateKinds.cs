namespace Asya.Gateway.Tasks;

/// <summary>
/// How a stored update's <see cref="TaskUpdate.Kind"/> is written in a task store's <c>kind</c> column: the SSE event
/// name (<c>status</c>, <c>progress</c>), one definition for every store so their rows read the same. FLY events are
/// live only and never stored.
/// </summary>
public static class TaskUpdateKinds
{
    public const string Status = "status";

    public const string Progress = "progress";

    /// <summary>The column text of <paramref name="kind"/>; a FLY kind is a bug (it is never stored).</summary>
    public static string ToText(TaskEventKind kind) => kind switch
    {
        TaskEventKind.Status => Status,
        TaskEventKind.Progress => Progress,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only status and progress updates are stored"),
    };

    /// <summary>The kind of a stored column text.</summary>
    public static TaskEventKind Parse(string text) => text switch
    {
        Status => TaskEventKind.Status,
        Progress => TaskEventKind.Progress,
        _ => throw new FormatException($"'{text}' is not a stored task update kind ({Status}, {Progress})"),
    };
}
