namespace Asya.Gateway.Tasks;

/// <summary>
/// Live events of tasks to their subscribers (SSE streams): status and progress updates after they were stored, and
/// FLY events, which are never stored. At most once: a subscriber sees what is published after it subscribed (replay of
/// updates comes from <see cref="ITaskStore.GetUpdatesAsync"/>), plus, when it asks, the task's recent FLY events that
/// this replica holds in memory (<see cref="RecentFlyEvents"/>). With several replicas the hub reaches the subscribers
/// (and the recent FLY memory) of every replica.
/// </summary>
public interface ITaskEventHub : IAsyncDisposable
{
    ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken);

    /// <summary>Publishes <paramref name="events"/> together, in order (a batch of FLY events: one send, not one each).</summary>
    ValueTask PublishBatchAsync(IReadOnlyList<TaskEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to one task's events until the subscription is disposed; with <paramref name="withRecentFly"/> it
    /// starts with the task's recent FLY events (<see cref="TaskSubscription.RecentFly"/>).
    /// </summary>
    TaskSubscription Subscribe(string taskId, bool withRecentFly = false);

    /// <summary>Subscriptions open now on this replica (the SSE subscriber gauge).</summary>
    int SubscriberCount { get; }

    /// <summary>This replica's memory of recent FLY events (held and dropped counts for the metrics).</summary>
    RecentFlyEvents RecentFly { get; }
}
