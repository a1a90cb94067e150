namespace Asya.Gateway.Tasks;

/// <summary>
/// Live events of tasks to their subscribers (SSE streams): status and progress updates after they were stored, and
/// FLY events, which are never stored. At most once and no replay: a subscriber sees what is published after it
/// subscribed (replay comes from <see cref="ITaskStore.GetUpdatesAsync"/>). With several replicas the hub reaches the
/// subscribers of every replica.
/// </summary>
public interface ITaskEventHub : IAsyncDisposable
{
    ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken);

    /// <summary>Subscribes to one task's events until the subscription is disposed.</summary>
    TaskSubscription Subscribe(string taskId);

    /// <summary>Subscriptions open now on this replica (the SSE subscriber gauge).</summary>
    int SubscriberCount { get; }
}
