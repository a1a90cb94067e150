namespace Asya.Gateway.Tasks;

/// <summary>A change <see cref="TaskRules"/> allowed: the task after it, the kind of update to store, its message.</summary>
public sealed record TaskTransition(MeshTask Task, TaskEventKind Kind, string? Message);
