using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Observability;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.ExternalScaler.Tests.Depth;

#pragma warning disable CA1001 // the poller and transport are released in IAsyncLifetime.DisposeAsync
public sealed class DepthPollerTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly PollerSettings Settings = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ScriptedTransport _transport = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private DepthPoller _poller = null!;

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
        await AdvanceUntilPolledAsync();
        // A failed poll keeps the last sample while it is young enough...
        Assert.Equal(new QueueDepth(4, 1, 0), await _poller.ReadAsync("q", default));

        _time.Advance(TimeSpan.FromMilliseconds(1100));
        await AdvanceUntilPolledAsync();
        // ...and refuses it once stale: never 0, never the old value.
        var error = await Assert.ThrowsAsync<DepthUnavailableException>(async () => await _poller.ReadAsync("q", default));
        Assert.False(error.Permanent);
        Assert.Contains("broker unreachable", error.Message, StringComparison.Ordinal);

        _transport.Failing = false;
        _transport.Depth = new QueueDepth(2, 0, 0);
        await AdvanceUntilPolledAsync();
        Assert.Equal(new QueueDepth(2, 0, 0), await _poller.ReadAsync("q", default));
    }

    [Fact]
    public async Task Polls_ManyQueues_OneBrokerCallPerInterval()
    {
        for (var i = 0; i < 50; i++)
        {
            await _poller.ReadAsync($"q{i}", default);
        }

        var before = _transport.Calls;
        await AdvanceUntilPolledAsync();
        Assert.Equal(before + 1, _transport.Calls);
        Assert.Equal(50, _transport.LastQueueCount);
    }

    [Fact]
    public async Task Polls_QueueUnaskedPastForgetAfter_NoLongerPolled()
    {
        await _poller.ReadAsync("old", default);
        _time.Advance(TimeSpan.FromMinutes(11));
        await _poller.ReadAsync("new", default);
        await AdvanceUntilPolledAsync();
        Assert.Equal(1, _transport.LastQueueCount);
    }

    [Fact]
    public async Task Heartbeat_PollNeverReturns_StaleOncePastItsDeadline()
    {
        _transport.Depth = new QueueDepth(1, 0, 0);
        await _poller.ReadAsync("q", default);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _transport.Hang = hung;
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(Settings.Interval);
                return Task.FromResult(hung.Task.IsCompleted);
            },
            TimeSpan.FromSeconds(10), "a poll that hangs");
        Assert.Equal(Settings.Interval + TimeSpan.FromSeconds(1) + DepthPoller.HungAfter, _poller.Heartbeat.Deadline);
        Assert.False(_poller.Heartbeat.IsStale);

        _time.Advance(_poller.Heartbeat.Deadline - TimeSpan.FromSeconds(1));
        Assert.False(_poller.Heartbeat.IsStale);
        _time.Advance(TimeSpan.FromSeconds(1) + Settings.Interval);

        Assert.True(_poller.Heartbeat.IsStale);
        Assert.StartsWith("depth-poller fake last beat 31.", _poller.Heartbeat.Describe(), StringComparison.Ordinal);
    }

    /// <summary>Moves fake time one interval at a time until the poller made one more call.</summary>
    private async Task AdvanceUntilPolledAsync()
    {
        var calls = _transport.Calls;
        await Eventually.TrueAsync(
            () =>
            {
                _time.Advance(Settings.Interval);
                return Task.FromResult(_transport.Calls > calls && _transport.Calls == _transport.Completed);
            },
            TimeSpan.FromSeconds(10), "one more poll");
    }

    private sealed class ScriptedTransport : ITransport, IQueueDepthSource
    {
        private int _calls;
        private int _completed;

        public volatile bool Failing;

        public QueueDepth Depth { get; set; }

        /// <summary>When set, a poll never returns until cancelled (a hung broker client); it completes this first.</summary>
        public TaskCompletionSource? Hang { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public int Completed => Volatile.Read(ref _completed);

        public int LastQueueCount { get; private set; }

        public ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Hang is { } hang)
            {
                hang.TrySetResult();
                return HangAsync(cancellationToken);
            }

            try
            {
                LastQueueCount = queues.Count;
                if (Failing)
                {
                    throw new InvalidOperationException("broker unreachable");
                }

                return ValueTask.FromResult<IReadOnlyDictionary<string, QueueDepth>>(queues.ToDictionary(q => q, _ => Depth));
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }

        public ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken) => throw new NotSupportedException();

        private static async ValueTask<IReadOnlyDictionary<string, QueueDepth>> HangAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new System.Diagnostics.UnreachableException();
        }

        public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
