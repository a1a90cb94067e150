namespace Asya.Gateway.Tasks;

/// <summary>
/// What every store shares: which rule each change runs, and that only resume answers a refused change with a
/// conflict. A store supplies the storage side: <see cref="ChangeAsync"/> reads the task and its sequence, decides with
/// the given rule at one instant, and writes the <see cref="TaskRules.Outcome"/>, all in one transaction.
/// </summary>
public abstract class TaskStoreBase : ITaskStore
{
    public abstract Task<MeshTask> CreateAsync(NewTask task, CancellationToken cancellationToken);

    public abstract Task<MeshTask?> GetAsync(string id, CancellationToken cancellationToken);

    public abstract Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<TaskUpdate>> GetUpdatesAsync(string id, long afterSequence, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<string>> ListPastDeadlineAsync(int limit, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public Task<TaskChange> ApplyReportAsync(string id, TaskReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return ChangeAsync(id, (task, now) => TaskRules.Apply(task, report, now), conflictWhenRefused: false, cancellationToken);
    }

    public Task<TaskChange> CancelAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, TaskRules.Cancel, conflictWhenRefused: false, cancellationToken);

    public Task<TaskChange> ResumeAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, TaskRules.Resume, conflictWhenRefused: true, cancellationToken);

    public Task<TaskChange> TimeOutAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, TaskRules.TimeOut, conflictWhenRefused: false, cancellationToken);

    /// <summary>Reads, decides through <paramref name="decide"/> and writes atomically; <see cref="TaskChange.NotFound"/> for an unknown id.</summary>
    protected abstract Task<TaskChange> ChangeAsync(
        string id, Func<MeshTask, DateTimeOffset, TaskTransition?> decide, bool conflictWhenRefused, CancellationToken cancellationToken);
}
