using System.Threading.Channels;
using Asya.Components.Abstractions;

namespace Asya.Operator.Reconcile;

/// <summary>
/// Keys of objects to reconcile. A key is queued at most once, and handed to at most one worker at a time: a key added
/// while being processed is queued again when the worker is done with it. Failures back off per key
/// (base × 2^failures, capped); delayed adds use the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class WorkQueue(TimeProvider timeProvider, TimeSpan baseDelay, TimeSpan maxDelay) : IDisposable
{
    private readonly Backoff _backoff = new(baseDelay, maxDelay);
    private readonly Lock _gate = new();
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> _timers = [];
    private bool _disposed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    public void Add(string key)
    {
        lock (_gate)
        {
            if (_disposed || _queued.Contains(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            _queued.Add(key);
            _ready.Writer.TryWrite(key);
        }
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            ITimer? timer = null;
            timer = timeProvider.CreateTimer(
                _ =>
                {
                    lock (_gate)
                    {
                        _timers.Remove(timer!);
                    }

                    timer!.Dispose();
                    Add(key);
                },
                null,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Queues the key again after its next backoff delay; returns the attempt number and delay.</summary>
    public (int Attempt, TimeSpan Delay) AddRateLimited(string key)
    {
        int attempt;
        lock (_gate)
        {
            attempt = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = attempt;
        }

        var delay = _backoff.After(attempt);
        AddAfter(key, delay);
        return (attempt, delay);
    }

    /// <summary>Resets the key's backoff after a successful reconcile.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        var key = await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _queued.Remove(key);
            _processing.Add(key);
        }

        return key;
    }

    public void Done(string key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && !_disposed)
            {
                _queued.Add(key);
                _ready.Writer.TryWrite(key);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
            _ready.Writer.TryComplete();
        }
    }
}
