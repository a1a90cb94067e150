using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Observability;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.ExternalScaler.Tests.Depth;

#pragma warning disable CA1001 // the poller and transport are released in IAsyncLifetime.DisposeAsync
public sealed class DepthPollerTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly PollerSettings Settings = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TimerWatchingTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ScriptedTransport _transport;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private DepthPoller _poller = null!;

    public DepthPollerTests() => _transport = new ScriptedTransport(_time);

    public async Task InitializeAsync()
    {
        var metrics = new ScalerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), _time);
        _poller = new DepthPoller("fake", "pubsub.fake", _ => Task.FromResult<ITransport>(_transport), Settings, _time, metrics, NullLogger.Instance);
        await _poller.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _poller.StopAsync(default);
        _poller.Dispose();
        await _transport.DisposeAsync(); // the poller does not own the transport it was handed
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_BrokerFailsPastStaleAfter_UnavailableThenRecovers()
    {
        _transport.Depth = new QueueDepth(4, 1, 0);
        Assert.Equal(new QueueDepth(4, 1, 0), await _poller.ReadAsync("q", default));

        _transport.Failing = true;
        await PollOnceMoreAsync();
        // A failed poll keeps the last sample while it is young enough...
        Assert.Equal(new QueueDepth(4, 1, 0), await _poller.ReadAsync("q", default));

        await PollOnceMoreAsync(atLeast: TimeSpan.FromMilliseconds(1100));
        // ...and refuses it once stale: never 0, never the old value.
        var error = await Assert.ThrowsAsync<DepthUnavailableException>(async () => await _poller.ReadAsync("q", default));
        Assert.False(error.Permanent);
        Assert.Contains("broker unreachable", error.Message, StringComparison.Ordinal);

        _transport.Failing = false;
        _transport.Depth = new QueueDepth(2, 0, 0);
        await PollOnceMoreAsync();
        Assert.Equal(new QueueDepth(2, 0, 0), await _poller.ReadAsync("q", default));
    }

    [Fact]
    public async Task Polls_ManyQueues_OneBrokerCallPerInterval()
    {
        for (var i = 0; i < 50; i++)
        {
            await _poller.ReadAsync($"q{i}", default);
        }

        await PollerWaitingAsync();
        var before = _transport.Calls;
        await PollOnceMoreAsync();
        Assert.Equal(before + 1, _transport.Calls);
        Assert.Equal(50, _transport.LastQueueCount);
    }

    [Fact]
    public async Task Polls_QueueUnaskedPastForgetAfter_NoLongerPolled()
    {
        await _poller.ReadAsync("old", default);
        await PollerWaitingAsync();
        var from = _time.TimersCreated;

        // The poller wakes past ForgetAfter, forgets "old" and, with nothing left to poll, waits again without a call.
        _time.Advance(TimeSpan.FromMinutes(11));
        await _time.WaitForTimerAsync(from, IsPollerWait, Deadline);
        await _poller.ReadAsync("new", default);
        await PollOnceMoreAsync();
        Assert.Equal(1, _transport.LastQueueCount);
    }

    [Fact]
    public async Task Heartbeat_PollNeverReturns_StaleOncePastItsDeadline()
    {
        _transport.Depth = new QueueDepth(1, 0, 0);
        await _poller.ReadAsync("q", default);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _transport.Hang = hung;
        _time.Advance(await PollerWaitingAsync());
        await hung.Task.WaitAsync(Deadline);
        Assert.Equal(Settings.Interval + TimeSpan.FromSeconds(1) + DepthPoller.HungAfter, _poller.Heartbeat.Deadline);
        Assert.False(_poller.Heartbeat.IsStale);

        _time.Advance(_poller.Heartbeat.Deadline - TimeSpan.FromSeconds(1));
        Assert.False(_poller.Heartbeat.IsStale);
        _time.Advance(TimeSpan.FromSeconds(1) + Settings.Interval);

        Assert.True(_poller.Heartbeat.IsStale);
        Assert.StartsWith("depth-poller fake last beat 31.", _poller.Heartbeat.Describe(), StringComparison.Ordinal);
    }

    /// <summary>The poller's own waits; a read of a queue with no sample yet waits <see cref="PollerSettings.StaleAfter"/>.</summary>
    private static bool IsPollerWait(TimeSpan due) => due != Settings.StaleAfter;

    /// <summary>
    /// Waits until the poller, after its last broker call, waits on the clock again (moving fake time before that would
    /// move past its timer); returns how long it waits.
    /// </summary>
    private Task<TimeSpan> PollerWaitingAsync() => _time.WaitForTimerAsync(_transport.TimersAtLastCall, IsPollerWait, Deadline);

    /// <summary>
    /// Moves fake time to the poller's next poll (or by <paramref name="atLeast"/> when longer) and returns once that
    /// poll is done and the poller waits again, so what it published can be read.
    /// </summary>
    private async Task PollOnceMoreAsync(TimeSpan? atLeast = null)
    {
        var due = await PollerWaitingAsync();
        var completed = _transport.Completed.Count;
        _time.Advance(atLeast is { } longer && longer > due ? longer : due);
        await _transport.Completed.WaitAsync(completed + 1, Deadline);
        await PollerWaitingAsync();
    }
}
