using System.Threading.Channels;

namespace Asya.Gateway.Tasks;

/// <summary>
/// One subscriber's events, in publication order. The buffer holds at most <see cref="FlyCapacity"/> FLY events: a
/// further one drops the oldest FLY event still unread (counted in <see cref="DroppedFly"/>), so a slow client costs
/// bounded memory; status and progress events are never dropped (a handful per hop).
/// </summary>
public sealed class TaskSubscription : IDisposable
{
    private readonly TaskEventBuffer _buffer;
    private readonly Action<TaskSubscription> _unsubscribe;
    private int _disposed;

    internal TaskSubscription(string taskId, int flyCapacity, Action<TaskSubscription> unsubscribe, IReadOnlyList<TaskEvent> recentFly)
    {
        RecentFly = recentFly;
        ArgumentOutOfRangeException.ThrowIfLessThan(flyCapacity, 1);
        TaskId = taskId;
        FlyCapacity = flyCapacity;
        _buffer = new TaskEventBuffer(flyCapacity);
        _unsubscribe = unsubscribe;
    }

    public string TaskId { get; }

    public int FlyCapacity { get; }

    /// <summary>
    /// The task's FLY events of this replica's recent memory (<see cref="RecentFlyEvents"/>) from before the subscription,
    /// oldest first, when it was asked for them; <see cref="Events"/> holds what came after.
    /// </summary>
    public IReadOnlyList<TaskEvent> RecentFly { get; }

    /// <summary>The events; completes when the subscription is disposed or the hub stops.</summary>
    public ChannelReader<TaskEvent> Events => _buffer;

    /// <summary>FLY events dropped because this subscriber fell behind.</summary>
    public long DroppedFly => _buffer.DroppedFly;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
            _buffer.Complete();
        }
    }

    internal void Deliver(TaskEvent taskEvent) => _buffer.Write(taskEvent);

    internal void Complete() => _buffer.Complete();
}
