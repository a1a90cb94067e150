namespace Asya.Testing;

/// <summary>A counter tests can wait on: "until it reaches n, or fail after a deadline".</summary>
public sealed class CountSignal
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Done)> _waiters = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment()
    {
        lock (_gate)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => w.Target <= _count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes once the count reaches <paramref name="target"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(int target, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            return done.Task.WaitAsync(timeout);
        }
    }
}
