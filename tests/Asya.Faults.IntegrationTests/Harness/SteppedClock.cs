namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// A wall clock that jumps both ways (an NTP step, a VM resumed from a snapshot). FakeTimeProvider refuses to go back
/// in time, which is exactly the case to test; timers stay the system's (the scenario never waits on one).
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Jump(TimeSpan by) => _now += by;
}
