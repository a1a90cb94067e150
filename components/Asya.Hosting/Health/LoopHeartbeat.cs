using System.Globalization;

namespace Asya.Hosting.Health;

/// <summary>
/// Progress of one background loop (receive loop, depth poller, reconcile worker, runtime supervisor), read by
/// <c>/readyz</c>. A working loop that has not beaten within its <see cref="Deadline"/> is stuck (a receive or a poll
/// that never returns) and makes its process unready. A loop waiting on something outside itself (no work queued, a full
/// channel, a child process running) says so with <see cref="Idle"/> and is never stale while it waits.
/// </summary>
public sealed class LoopHeartbeat
{
    private readonly TimeProvider _timeProvider;
    private long _lastBeat;
    private volatile bool _idle = true;

    /// <param name="name">The loop's name as <c>/readyz</c> reports it.</param>
    /// <param name="deadline">Longest time one step of the loop may take; state why in the loop.</param>
    /// <param name="timeProvider">The clock of the loop's own waits.</param>
    public LoopHeartbeat(string name, TimeSpan deadline, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Name = name;
        Deadline = deadline;
        _timeProvider = timeProvider;
        _lastBeat = timeProvider.GetTimestamp();
    }

    public string Name { get; }

    public TimeSpan Deadline { get; }

    /// <summary>True from creation, and between <see cref="Idle"/> and the next <see cref="Beat"/>.</summary>
    public bool IsIdle => _idle;

    public TimeSpan SinceLastBeat => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastBeat));

    /// <summary>Working, and no beat within <see cref="Deadline"/>.</summary>
    public bool IsStale => !_idle && SinceLastBeat > Deadline;

    /// <summary>The loop made progress and goes on working: the deadline starts again.</summary>
    public void Beat()
    {
        Volatile.Write(ref _lastBeat, _timeProvider.GetTimestamp());
        _idle = false;
    }

    /// <summary>The loop waits for something that is not its own step (work to arrive, room downstream, a child to exit).</summary>
    public void Idle()
    {
        Volatile.Write(ref _lastBeat, _timeProvider.GetTimestamp());
        _idle = true;
    }

    /// <summary>One line for <c>/readyz</c>: <c>receive-loop last beat 61.0s ago (deadline 60s)</c>, or <c>… idle for 5.0s</c>.</summary>
    public string Describe() => _idle
        ? string.Create(CultureInfo.InvariantCulture, $"{Name} idle for {SinceLastBeat.TotalSeconds:0.0}s")
        : string.Create(CultureInfo.InvariantCulture, $"{Name} last beat {SinceLastBeat.TotalSeconds:0.0}s ago (deadline {Deadline.TotalSeconds:0.###}s)");
}
