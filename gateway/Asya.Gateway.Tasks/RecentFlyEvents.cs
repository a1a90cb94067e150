namespace Asya.Gateway.Tasks;

/// <summary>
/// The latest FLY events of each running task on this replica, in memory only (FLY is never stored), so a subscriber
/// that comes just after the task started, or just after a short task finished, still sees its tokens: a client that
/// posts then opens the event stream would otherwise miss what was yielded in between. Bounded per task
/// (<see cref="PerTask"/>) and overall (<see cref="Total"/>; the oldest task's oldest event goes first), every event
/// pushed out counted in <see cref="Dropped"/>; a task's events are forgotten <see cref="Grace"/> after its terminal
/// status passed through the hub. Not thread-safe: <see cref="TaskEventFanout"/> calls it under its lock.
/// </summary>
public sealed class RecentFlyEvents(TimeProvider clock, int perTask = RecentFlyEvents.DefaultPerTask, int total = RecentFlyEvents.DefaultTotal, TimeSpan? grace = null)
{
    public const int DefaultPerTask = 512;

    public const int DefaultTotal = 16_384;

    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Recent> _byTask = new(StringComparer.Ordinal);
    private readonly LinkedList<Recent> _byAge = new();
    private readonly Queue<Recent> _ending = new();
    private long _dropped;

    public int PerTask { get; } = perTask > 0 ? perTask : throw new ArgumentOutOfRangeException(nameof(perTask));

    public int Total { get; } = total >= perTask ? total : throw new ArgumentOutOfRangeException(nameof(total));

    public TimeSpan Grace { get; } = grace ?? DefaultGrace;

    /// <summary>Events held now, all tasks together.</summary>
    public int Count { get; private set; }

    /// <summary>Events pushed out by a bound (not those forgotten after a task ended).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Keeps a FLY event; a terminal status starts its task's grace.</summary>
    public void Record(TaskEvent taskEvent)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        Sweep();
        if (taskEvent.Kind != TaskEventKind.Fly)
        {
            if (taskEvent.Update is { } update && TaskRules.IsTerminal(update.Status)
                && _byTask.TryGetValue(taskEvent.TaskId, out var ended) && ended.EndsAt is null)
            {
                ended.EndsAt = clock.GetUtcNow() + Grace;
                _ending.Enqueue(ended);
            }

            return;
        }

        if (!_byTask.TryGetValue(taskEvent.TaskId, out var recent))
        {
            recent = new Recent(taskEvent.TaskId);
            recent.Node = _byAge.AddLast(recent);
            _byTask.Add(taskEvent.TaskId, recent);
        }
        else if (recent.EndsAt is not null)
        {
            return; // a late event of a finished task: nobody subscribes to it any more
        }

        recent.Events.Enqueue(taskEvent);
        Count++;
        if (recent.Events.Count > PerTask)
        {
            DropOldest(recent);
        }

        while (Count > Total && _byAge.First is { } oldest)
        {
            DropOldest(oldest.Value);
        }
    }

    /// <summary>The task's recent FLY events, oldest first.</summary>
    public TaskEvent[] Of(string taskId)
    {
        Sweep();
        return _byTask.TryGetValue(taskId, out var recent) ? [.. recent.Events] : [];
    }

    private void DropOldest(Recent recent)
    {
        recent.Events.Dequeue();
        Count--;
        Interlocked.Increment(ref _dropped);
        if (recent.Events.Count == 0)
        {
            Forget(recent);
        }
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        while (_ending.TryPeek(out var next) && next.EndsAt <= now)
        {
            _ending.Dequeue();
            if (next.Node is not null)
            {
                Count -= next.Events.Count;
                Forget(next);
            }
        }
    }

    private void Forget(Recent recent)
    {
        _byTask.Remove(recent.TaskId);
        if (recent.Node is not null)
        {
            _byAge.Remove(recent.Node);
            recent.Node = null;
        }
    }

    private sealed class Recent(string taskId)
    {
        public string TaskId { get; } = taskId;

        public Queue<TaskEvent> Events { get; } = new();

        public LinkedListNode<Recent>? Node { get; set; }

        public DateTimeOffset? EndsAt { get; set; }
    }
}
