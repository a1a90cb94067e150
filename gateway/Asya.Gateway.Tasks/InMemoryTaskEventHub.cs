namespace Asya.Gateway.Tasks;

/// <summary>The hub of a single replica (the SQLite store): events go straight to this process's subscribers.</summary>
public sealed class InMemoryTaskEventHub(int flyCapacity = TaskEventFanout.DefaultFlyCapacity, RecentFlyEvents? recentFly = null) : ITaskEventHub
{
    private readonly TaskEventFanout _fanout = new(flyCapacity, recentFly);

    public int SubscriberCount => _fanout.SubscriberCount;

    public RecentFlyEvents RecentFly => _fanout.RecentFly;

    public ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        _fanout.Deliver(taskEvent);
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishBatchAsync(IReadOnlyList<TaskEvent> events, CancellationToken cancellationToken)
    {
        _fanout.Deliver(events);
        return ValueTask.CompletedTask;
    }

    public TaskSubscription Subscribe(string taskId, bool withRecentFly = false) => _fanout.Subscribe(taskId, withRecentFly);

    public ValueTask DisposeAsync()
    {
        _fanout.CompleteAll();
        return ValueTask.CompletedTask;
    }
}
