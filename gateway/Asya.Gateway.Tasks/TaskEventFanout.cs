using System.Collections.Concurrent;

namespace Asya.Gateway.Tasks;

/// <summary>
/// This replica's subscribers, by task id: what every <see cref="ITaskEventHub"/> hands its events to. A hub over a
/// shared medium (PostgreSQL NOTIFY) delivers what it receives here; the in-process hub delivers what is published.
/// Every FLY event delivered is also kept in <see cref="RecentFly"/>, and a subscription may start with them: taking
/// that copy and joining the subscribers happen under one lock with delivery, so no event is seen twice or missed.
/// </summary>
public sealed class TaskEventFanout(int flyCapacity = TaskEventFanout.DefaultFlyCapacity, RecentFlyEvents? recentFly = null)
{
    /// <summary>FLY events a subscriber may fall behind by before the oldest are dropped.</summary>
    public const int DefaultFlyCapacity = 4096;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ImmutableSubscribers> _byTask = new(StringComparer.Ordinal);
    private int _count;
    private bool _stopped;

    public int SubscriberCount => Volatile.Read(ref _count);

    /// <summary>The recent FLY events of running tasks (replayed to new subscribers).</summary>
    public RecentFlyEvents RecentFly { get; } = recentFly ?? new RecentFlyEvents(TimeProvider.System);

    /// <param name="taskId">The task.</param>
    /// <param name="withRecentFly">Start with the task's recent FLY events (<see cref="TaskSubscription.RecentFly"/>).</param>
    public TaskSubscription Subscribe(string taskId, bool withRecentFly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        TaskSubscription subscription;
        lock (_gate)
        {
            subscription = new TaskSubscription(taskId, flyCapacity, Remove, withRecentFly ? RecentFly.Of(taskId) : []);
            _byTask.AddOrUpdate(taskId, static (_, s) => new([s]), static (_, list, s) => new([.. list.Items, s]), subscription);
        }

        Interlocked.Increment(ref _count);
        if (Volatile.Read(ref _stopped))
        {
            subscription.Complete();
        }

        return subscription;
    }

    public void Deliver(TaskEvent taskEvent)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        lock (_gate)
        {
            DeliverLocked(taskEvent);
        }
    }

    /// <summary>Delivers <paramref name="events"/> in order, none of another delivery between them.</summary>
    public void Deliver(IEnumerable<TaskEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            foreach (var taskEvent in events)
            {
                DeliverLocked(taskEvent);
            }
        }
    }

    /// <summary>Ends every subscription's stream (the hub stops).</summary>
    public void CompleteAll()
    {
        Volatile.Write(ref _stopped, true);
        foreach (var subscribers in _byTask.Values)
        {
            foreach (var subscription in subscribers.Items)
            {
                subscription.Complete();
            }
        }
    }

    private void DeliverLocked(TaskEvent taskEvent)
    {
        RecentFly.Record(taskEvent);
        if (_byTask.TryGetValue(taskEvent.TaskId, out var subscribers))
        {
            foreach (var subscription in subscribers.Items)
            {
                subscription.Deliver(taskEvent);
            }
        }
    }

    private void Remove(TaskSubscription subscription)
    {
        while (_byTask.TryGetValue(subscription.TaskId, out var current))
        {
            var rest = current.Items.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            var done = rest.Length == 0
                ? _byTask.TryRemove(new KeyValuePair<string, ImmutableSubscribers>(subscription.TaskId, current))
                : _byTask.TryUpdate(subscription.TaskId, new ImmutableSubscribers(rest), current);
            if (done)
            {
                Interlocked.Decrement(ref _count);
                return;
            }
        }
    }

    /// <summary>A copy-on-write list, compared by reference for the dictionary's compare-and-swap.</summary>
    private sealed class ImmutableSubscribers(TaskSubscription[] items)
    {
        public TaskSubscription[] Items { get; } = items;
    }
}
