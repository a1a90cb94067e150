namespace Asya.Gateway.Tasks;

/// <summary>How a store call that may change a task ended.</summary>
public enum TaskChangeOutcome
{
    /// <summary>No task has that id.</summary>
    NotFound,

    /// <summary>The rules dropped the change (stale report, cancel of a finished task): nothing stored.</summary>
    Unchanged,

    /// <summary>The task changed and one update was stored.</summary>
    Applied,

    /// <summary>The change is not allowed in the task's status (resume of a task that is not paused).</summary>
    Conflict,
}
