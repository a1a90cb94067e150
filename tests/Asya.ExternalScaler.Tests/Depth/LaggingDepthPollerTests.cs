using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Observability;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.ExternalScaler.Tests.Depth;

/// <summary>
/// A transport whose full depths lag (RabbitMQ's management API) and that counts ready messages live: push streams are
/// answered from the live count between polls. Own clock per test: the poller's waits are read from it.
/// </summary>
#pragma warning disable CA1001 // the services are released in IAsyncLifetime.DisposeAsync
public sealed class LaggingDepthPollerTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly PollerSettings Settings = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TimerWatchingTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ProbedTransport _transport;
    private DepthPoller _poller = null!;

    public LaggingDepthPollerTests() => _transport = new ProbedTransport(_time);

    public async Task InitializeAsync()
    {
        var metrics = new ScalerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), _time);
        _poller = new DepthPoller("probed", "pubsub.fake", _ => Task.FromResult<ITransport>(_transport), Settings, _time, metrics, NullLogger.Instance);
        await _poller.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _poller.StopAsync(default);
        _poller.Dispose();
        await _transport.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>The poller's own waits; a read of a queue with no sample yet waits <see cref="PollerSettings.StaleAfter"/>.</summary>
    private static bool IsPollerWait(TimeSpan due) => due != Settings.StaleAfter;

    [Fact]
    public async Task PushStream_LiveReadyCountRises_HeardBeforeTheNextPoll()
    {
        var heard = System.Threading.Channels.Channel.CreateUnbounded<QueueDepth>();
        using var listening = _poller.Track("q").Listen(depth => heard.Writer.TryWrite(depth));
        Assert.Equal(default, await _poller.ReadAsync("q", default));
        Assert.Equal(default, await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(Settings.ProbeInterval, await _time.WaitForTimerAsync(_transport.TimersAtLastCall, IsPollerWait, Deadline));

        // A message arrives; the lagging depths still say 0, the live count says 1.
        _transport.Ready = 1;
        _time.Advance(Settings.ProbeInterval);

        Assert.Equal(new QueueDepth(1, 0, 0), await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(1, _transport.Calls);
        Assert.Equal(1, _poller.Probes);
    }

    [Fact]
    public async Task NoPushStream_LiveReadyCountRises_NotAskedUntilTheNextPoll()
    {
        Assert.Equal(default, await _poller.ReadAsync("q", default));
        _transport.Ready = 1;
        for (var tick = 0; tick < 3; tick++)
        {
            var from = _time.TimersCreated;
            _time.Advance(Settings.ProbeInterval);
            await _time.WaitForTimerAsync(from, IsPollerWait, Deadline);
        }

        Assert.Equal(0, _poller.Probes);
        Assert.Equal(1, _transport.Calls);
        Assert.Equal(default, await _poller.ReadAsync("q", default));
    }

    [Fact]
    public async Task PushStream_OpensWhilePollerWaits_ProbedWithinAProbeInterval()
    {
        Assert.Equal(default, await _poller.ReadAsync("q", default));
        await _time.WaitForTimerAsync(_transport.TimersAtLastCall, IsPollerWait, Deadline);
        var heard = System.Threading.Channels.Channel.CreateUnbounded<QueueDepth>();
        using var listening = _poller.Track("q").Listen(depth => heard.Writer.TryWrite(depth));
        _transport.Ready = 1;

        _time.Advance(Settings.ProbeInterval);

        Assert.Equal(new QueueDepth(1, 0, 0), await heard.Reader.ReadAsync().AsTask().WaitAsync(Deadline));
        Assert.Equal(1, _transport.Calls);
    }
}
