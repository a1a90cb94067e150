using Asya.Components.Abstractions;

namespace Asya.ExternalScaler.Depth;

/// <summary>
/// One queue a poller keeps fresh: the latest sample, a task for the first one, and the push streams listening.
/// Listeners hear a depth only when it changed, from the poller's thread, so they must not block.
/// </summary>
internal sealed class QueueWatch(string queue, long touchedAt)
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Action<QueueDepth>[] _listeners = [];
    private DepthSample? _sample;
    private long _touchedAt = touchedAt;

    public string Queue { get; } = queue;

    public DepthSample? Sample => Volatile.Read(ref _sample);

    /// <summary>Waits for the first successful poll of this queue, at most <paramref name="timeout"/>.</summary>
    public Task WaitFirstSampleAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        _first.Task.WaitAsync(timeout, timeProvider, cancellationToken);

    /// <summary>Timestamp (poller clock, ms) of the last RPC that asked for this queue.</summary>
    public long TouchedAt => Interlocked.Read(ref _touchedAt);

    public bool HasListeners => Volatile.Read(ref _listeners).Length > 0;

    public void Touch(long now) => Interlocked.Exchange(ref _touchedAt, now);

    public void Publish(DepthSample sample)
    {
        var previous = Interlocked.Exchange(ref _sample, sample);
        _first.TrySetResult();
        if (previous is not null && previous.Depth == sample.Depth)
        {
            return;
        }

        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener(sample.Depth);
        }
    }

    /// <summary>Registers <paramref name="listener"/> until the returned handle is disposed.</summary>
    public IDisposable Listen(Action<QueueDepth> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Subscription(this, listener);
    }

    private void Remove(Action<QueueDepth> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Subscription(QueueWatch watch, Action<QueueDepth> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watch.Remove(listener);
            }
        }
    }
}
