using Asya.Sidecar.Engine;
using Asya.Sidecar.Runtime;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The sidecar loops' waits after failures, stated once: a change to the shared formula shows here.</summary>
public sealed class LoopBackoffTests
{
    [Fact]
    public void ReceiveBackoff_DoublesFromOneSecondUpToThirty()
    {
        Assert.Equal(
            [1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 7).Select(n => ReceiveLoop.ReceiveBackoff.After(n).TotalSeconds));
    }

    [Fact]
    public void RestartBackoff_DoublesFromOneHundredMillisecondsUpToTenSeconds()
    {
        Assert.Equal(
            [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000],
            Enumerable.Range(1, 9).Select(n => RuntimeSupervisor.RestartBackoff.After(n).TotalMilliseconds));
    }
}
