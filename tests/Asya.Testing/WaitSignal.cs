namespace Asya.Testing;

/// <summary>
/// A cross-thread signal with a count and a deadline, so tests wait for behaviour instead of sleeping.
/// </summary>
public sealed class WaitSignal(int count = 1)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _count = count;
    private int _remaining = count;

    /// <summary>Counts one occurrence; the signal fires when the count reaches zero.</summary>
    public void Pulse()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Waits until fired; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"signal not fired within {timeout}: {Volatile.Read(ref _remaining)} of {_count} pulses missing");
        }
    }
}
