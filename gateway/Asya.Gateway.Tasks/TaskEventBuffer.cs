using System.Threading.Channels;

namespace Asya.Gateway.Tasks;

/// <summary>
/// The reader side of a <see cref="TaskSubscription"/>. A bounded channel's DropOldest would drop status events too, so
/// FLY events are kept in publication order among the others and the oldest one is unlinked when the FLY count is full.
/// </summary>
internal sealed class TaskEventBuffer(int flyCapacity) : ChannelReader<TaskEvent>
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskEvent> _events = new();
    private readonly Queue<LinkedListNode<TaskEvent>> _fly = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<bool>? _waiter;
    private bool _completed;
    private long _droppedFly;

    public long DroppedFly => Interlocked.Read(ref _droppedFly);

#pragma warning disable VSTHRD003 // this buffer's own completion, set by Complete and the last read
    public override Task Completion => _completion.Task;
#pragma warning restore VSTHRD003

    public override bool CanCount => true;

    public override int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public void Write(TaskEvent taskEvent)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            var node = _events.AddLast(taskEvent);
            if (taskEvent.Kind == TaskEventKind.Fly)
            {
                _fly.Enqueue(node);
                if (_fly.Count > flyCapacity)
                {
                    _events.Remove(_fly.Dequeue());
                    Interlocked.Increment(ref _droppedFly);
                }
            }

            (waiter, _waiter) = (_waiter, null);
        }

        waiter?.TrySetResult(true);
    }

    public void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            (waiter, _waiter) = (_waiter, null);
            if (_events.Count == 0)
            {
                _completion.TrySetResult();
            }
        }

        waiter?.TrySetResult(false);
    }

    public override bool TryRead(out TaskEvent item)
    {
        lock (_gate)
        {
            if (_events.First is not { } first)
            {
                item = null!;
                return false;
            }

            _events.RemoveFirst();
            if (_fly.Count > 0 && ReferenceEquals(_fly.Peek(), first))
            {
                _fly.Dequeue();
            }

            if (_completed && _events.Count == 0)
            {
                _completion.TrySetResult();
            }

            item = first.Value;
            return true;
        }
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        Task<bool> wait;
        lock (_gate)
        {
            if (_events.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        return new ValueTask<bool>(wait.WaitAsync(cancellationToken));
    }
}
