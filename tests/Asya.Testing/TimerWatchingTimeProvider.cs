using Microsoft.Extensions.Time.Testing;

namespace Asya.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code creates a timer on it (a <c>Task.Delay</c>, a timeout, a
/// periodic timer), so a test moves time only once the code waits on the clock: moving it before the timer exists
/// moves past it, and the wait then never ends.
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly List<Waiter> _waiters = [];

    /// <summary>How many timers were created so far; the index the next one gets.</summary>
    public int TimersCreated
    {
        get
        {
            lock (_gate)
            {
                return _dueTimes.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            var index = _dueTimes.Count;
            _dueTimes.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => index >= w.From && w.Match(dueTime)).ToList())
            {
                waiter.Done.TrySetResult(dueTime);
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }

    /// <summary>
    /// The due time of the first timer created at index <paramref name="from"/> or later whose due time satisfies
    /// <paramref name="match"/>; throws <see cref="TimeoutException"/> when none is created within <paramref name="timeout"/>
    /// of real time.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(int from, Func<TimeSpan, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        Task<TimeSpan> done;
        lock (_gate)
        {
            for (var i = from; i < _dueTimes.Count; i++)
            {
                if (match(_dueTimes[i]))
                {
                    return _dueTimes[i];
                }
            }

            var waiter = new Waiter(from, match, new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            done = waiter.Done.Task;
        }

        try
        {
            return await done.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no matching timer created (from index {from}) within {timeout}; due times so far: {string.Join(", ", Snapshot())}");
        }
    }

    private List<TimeSpan> Snapshot()
    {
        lock (_gate)
        {
            return [.. _dueTimes];
        }
    }

    private sealed record Waiter(int From, Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Done);
}
