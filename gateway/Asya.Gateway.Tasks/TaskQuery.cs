namespace Asya.Gateway.Tasks;

/// <summary>A page of tasks, newest first, optionally of one status and/or one flow.</summary>
public sealed record TaskQuery(TaskState? Status = null, string? Flow = null, int Limit = TaskQuery.DefaultLimit, int Offset = 0)
{
    public const int DefaultLimit = 50;
}
