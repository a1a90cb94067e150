namespace Asya.Gateway.Tasks;

/// <summary>The hub of a single replica (the SQLite store): events go straight to this process's subscribers.</summary>
public sealed class InMemoryTaskEventHub(int flyCapacity = TaskEventFanout.DefaultFlyCapacity) : ITaskEventHub
{
    private readonly TaskEventFanout _fanout = new(flyCapacity);

    public int SubscriberCount => _fanout.SubscriberCount;

    public ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        _fanout.Deliver(taskEvent);
        return ValueTask.CompletedTask;
    }

    public TaskSubscription Subscribe(string taskId) => _fanout.Subscribe(taskId);

    public ValueTask DisposeAsync()
    {
        _fanout.CompleteAll();
        return ValueTask.CompletedTask;
    }
}
