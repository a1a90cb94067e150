namespace Asya.Components.Redis;

/// <summary>
/// Wakes the receivers of one queue when a sender announces an entry on the queue's wake channel. A receiver takes
/// <see cref="Next"/> before it polls, so an announcement between its poll and its wait is not missed.
/// </summary>
internal sealed class RedisQueueWake
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
