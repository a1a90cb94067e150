using Asya.Hosting.Health;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Hosting.Tests.Health;

public sealed class LoopHeartbeatTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new();
    private readonly LoopHeartbeats _loops;

    public LoopHeartbeatTests() => _loops = new LoopHeartbeats(_time);

    [Fact]
    public void IsStale_NewHeartbeat_IsIdleUntilTheLoopBeats()
    {
        var heartbeat = _loops.Add("receive-loop", Deadline);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.True(heartbeat.IsIdle);
        Assert.False(heartbeat.IsStale);
        Assert.Null(LoopHeartbeats.Problem(_loops));
    }

    [Fact]
    public void IsStale_WorkingPastItsDeadline_MakesTheLoopsUnreadyNamingItAndItsLastBeat()
    {
        var receive = _loops.Add("receive-loop", Deadline);
        var other = _loops.Add("runtime-supervisor", TimeSpan.FromSeconds(30));
        receive.Beat();
        other.Idle();
        _time.Advance(Deadline);
        Assert.False(receive.IsStale);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(receive.IsStale);
        Assert.False(other.IsStale);
        Assert.Equal("receive-loop last beat 61.0s ago (deadline 60s)", LoopHeartbeats.Problem(_loops));
    }

    [Fact]
    public void Beat_WithinTheDeadline_KeepsTheLoopFresh()
    {
        var heartbeat = _loops.Add("depth-poller redis", Deadline);
        for (var i = 0; i < 5; i++)
        {
            heartbeat.Beat();
            _time.Advance(TimeSpan.FromSeconds(59));
        }

        Assert.False(heartbeat.IsStale);
        Assert.Equal(TimeSpan.FromSeconds(59), heartbeat.SinceLastBeat);
    }

    [Fact]
    public void Idle_AfterWorking_IsNeverStaleUntilTheNextBeat()
    {
        var heartbeat = _loops.Add("reconcile-worker-1", Deadline);
        heartbeat.Beat();
        heartbeat.Idle();
        _time.Advance(TimeSpan.FromHours(2));
        Assert.False(heartbeat.IsStale);
        Assert.Equal("reconcile-worker-1 idle for 7200.0s", heartbeat.Describe());

        heartbeat.Beat();
        _time.Advance(Deadline + TimeSpan.FromTicks(1));

        Assert.True(heartbeat.IsStale);
    }

    [Fact]
    public void Problem_SeveralStale_NamesEach()
    {
        _loops.Add("a", TimeSpan.FromSeconds(1)).Beat();
        _loops.Add("b", TimeSpan.FromSeconds(2)).Beat();
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("a last beat 3.0s ago (deadline 1s); b last beat 3.0s ago (deadline 2s)", LoopHeartbeats.Problem(_loops));
    }
}
