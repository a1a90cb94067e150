using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.Testing;

namespace Asya.ExternalScaler.Tests.Depth;

public sealed class DepthPollerTests() : PollerTestBase<ScriptedTransport>(Settings, time => new ScriptedTransport(time))
{
    private static readonly PollerSettings Settings = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    [Fact]
    public async Task ReadAsync_BrokerFailsPastStaleAfter_UnavailableThenRecovers()
    {
        Transport.Depth = new QueueDepth(4, 1, 0);
        Assert.Equal(new QueueDepth(4, 1, 0), await Poller.ReadAsync("q", default));

        Transport.Failing = true;
        await PollOnceMoreAsync();
        // A failed poll keeps the last sample while it is young enough...
        Assert.Equal(new QueueDepth(4, 1, 0), await Poller.ReadAsync("q", default));

        await PollOnceMoreAsync(atLeast: TimeSpan.FromMilliseconds(1100));
        // ...and refuses it once stale: never 0, never the old value.
        var error = await Assert.ThrowsAsync<DepthUnavailableException>(async () => await Poller.ReadAsync("q", default));
        Assert.False(error.Permanent);
        Assert.Contains("broker unreachable", error.Message, StringComparison.Ordinal);

        Transport.Failing = false;
        Transport.Depth = new QueueDepth(2, 0, 0);
        await PollOnceMoreAsync();
        Assert.Equal(new QueueDepth(2, 0, 0), await Poller.ReadAsync("q", default));
    }

    [Fact]
    public async Task Polls_ManyQueues_OneBrokerCallPerInterval()
    {
        for (var i = 0; i < 50; i++)
        {
            await Poller.ReadAsync($"q{i}", default);
        }

        await PollerWaitingAsync();
        var before = Transport.Calls;
        await PollOnceMoreAsync();
        Assert.Equal(before + 1, Transport.Calls);
        Assert.Equal(50, Transport.LastQueueCount);
    }

    [Fact]
    public async Task Polls_QueueUnaskedPastForgetAfter_NoLongerPolled()
    {
        await Poller.ReadAsync("old", default);
        await PollerWaitingAsync();
        var from = Time.TimersCreated;

        // The poller wakes past ForgetAfter, forgets "old" and, with nothing left to poll, waits again without a call.
        Time.Advance(TimeSpan.FromMinutes(11));
        await Time.WaitForTimerAsync(from, IsPollerWait, Deadline);
        await Poller.ReadAsync("new", default);
        await PollOnceMoreAsync();
        Assert.Equal(1, Transport.LastQueueCount);
    }

    [Fact]
    public async Task Heartbeat_PollNeverReturns_StaleOncePastItsDeadline()
    {
        Transport.Depth = new QueueDepth(1, 0, 0);
        await Poller.ReadAsync("q", default);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Transport.Hang = hung;
        Time.Advance(await PollerWaitingAsync());
        await hung.Task.WaitAsync(Deadline);
        Assert.Equal(Settings.Interval + TimeSpan.FromSeconds(1) + DepthPoller.HungAfter, Poller.Heartbeat.Deadline);
        Assert.False(Poller.Heartbeat.IsStale);

        Time.Advance(Poller.Heartbeat.Deadline - TimeSpan.FromSeconds(1));
        Assert.False(Poller.Heartbeat.IsStale);
        Time.Advance(TimeSpan.FromSeconds(1) + Settings.Interval);

        Assert.True(Poller.Heartbeat.IsStale);
        Assert.StartsWith("depth-poller fake last beat 31.", Poller.Heartbeat.Describe(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits until the poller, after its last broker call, waits on the clock again (moving fake time before that would
    /// move past its timer); returns how long it waits.
    /// </summary>
    private Task<TimeSpan> PollerWaitingAsync() => Time.WaitForTimerAsync(Transport.TimersAtLastCall, IsPollerWait, Deadline);

    /// <summary>
    /// Moves fake time to the poller's next poll (or by <paramref name="atLeast"/> when longer) and returns once that
    /// poll is done and the poller waits again, so what it published can be read.
    /// </summary>
    private async Task PollOnceMoreAsync(TimeSpan? atLeast = null)
    {
        var due = await PollerWaitingAsync();
        var completed = Transport.Completed.Count;
        Time.Advance(atLeast is { } longer && longer > due ? longer : due);
        await Transport.Completed.WaitAsync(completed + 1, Deadline);
        await PollerWaitingAsync();
    }
}
