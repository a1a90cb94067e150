namespace Asya.Gateway.Tasks;

/// <summary>A task with this id exists already; the store kept the first.</summary>
public sealed class DuplicateTaskException(string id) : InvalidOperationException($"a task with id '{id}' exists already")
{
    public string TaskId { get; } = id;
}
