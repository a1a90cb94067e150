using Asya.Gateway.Tasks;

namespace Asya.Gateway.Tests.Infrastructure;

/// <summary>
/// A real task store that the test can take "down": while <see cref="Down"/> every call throws
/// <see cref="TaskStoreUnavailableException"/>, as the PostgreSQL store does while its server restarts.
/// </summary>
internal sealed class OutageTaskStore(ITaskStore inner) : ITaskStore
{
    public volatile bool Down;

    public Task<MeshTask> CreateAsync(NewTask task, CancellationToken cancellationToken) => GuardAsync(() => inner.CreateAsync(task, cancellationToken));

    public Task<MeshTask?> GetAsync(string id, CancellationToken cancellationToken) => GuardAsync(() => inner.GetAsync(id, cancellationToken));

    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken) => GuardAsync(() => inner.ListAsync(query, cancellationToken));

    public Task<TaskChange> ApplyReportAsync(string id, TaskReport report, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.ApplyReportAsync(id, report, cancellationToken));

    public Task<TaskChange> CancelAsync(string id, CancellationToken cancellationToken) => GuardAsync(() => inner.CancelAsync(id, cancellationToken));

    public Task<TaskChange> ResumeAsync(string id, CancellationToken cancellationToken) => GuardAsync(() => inner.ResumeAsync(id, cancellationToken));

    public Task<TaskChange> TimeOutAsync(string id, CancellationToken cancellationToken) => GuardAsync(() => inner.TimeOutAsync(id, cancellationToken));

    public Task<IReadOnlyList<TaskUpdate>> GetUpdatesAsync(string id, long afterSequence, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.GetUpdatesAsync(id, afterSequence, cancellationToken));

    public Task<IReadOnlyList<string>> ListPastDeadlineAsync(int limit, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.ListPastDeadlineAsync(limit, cancellationToken));

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private Task<T> GuardAsync<T>(Func<Task<T>> call) =>
        Down ? Task.FromException<T>(new TaskStoreUnavailableException("task store down (test)", new IOException("connection refused"))) : call();
}
