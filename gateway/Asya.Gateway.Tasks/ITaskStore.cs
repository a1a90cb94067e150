namespace Asya.Gateway.Tasks;

/// <summary>
/// Where tasks and their updates live. Every change goes through <see cref="TaskRules"/> atomically (read, decide and
/// write in one transaction), so concurrent reports, cancels and resumes of one task never lose or duplicate a change;
/// each applied change stores exactly one <see cref="TaskUpdate"/> with the task's next sequence number. Times come
/// from the store's <see cref="TimeProvider"/>.
/// </summary>
public interface ITaskStore : IAsyncDisposable
{
    /// <summary>Stores a pending task and its first update (sequence 1); <see cref="DuplicateTaskException"/> if the id exists.</summary>
    Task<MeshTask> CreateAsync(NewTask task, CancellationToken cancellationToken);

    Task<MeshTask?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first (creation time, then id), with the total count of matching tasks.</summary>
    Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>Applies a sidecar's status report through <see cref="TaskRules.Apply"/>.</summary>
    Task<TaskChange> ApplyReportAsync(string id, TaskReport report, CancellationToken cancellationToken);

    /// <summary>Cancels an unfinished task; a finished one is <see cref="TaskChangeOutcome.Unchanged"/>.</summary>
    Task<TaskChange> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Paused → running, restarting the deadline; any other status is a <see cref="TaskChangeOutcome.Conflict"/>, so of
    /// two resumes of one paused task exactly one is applied.
    /// </summary>
    Task<TaskChange> ResumeAsync(string id, CancellationToken cancellationToken);

    /// <summary>Fails a pending or running task past its deadline ("task timed out"); otherwise unchanged.</summary>
    Task<TaskChange> TimeOutAsync(string id, CancellationToken cancellationToken);

    /// <summary>The task's stored updates with a sequence number above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<TaskUpdate>> GetUpdatesAsync(string id, long afterSequence, CancellationToken cancellationToken);

    /// <summary>Ids of pending or running tasks whose deadline has passed, earliest deadline first (paused clocks are stopped).</summary>
    Task<IReadOnlyList<string>> ListPastDeadlineAsync(int limit, CancellationToken cancellationToken);
}
