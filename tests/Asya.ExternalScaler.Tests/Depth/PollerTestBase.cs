using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;
using Asya.ExternalScaler.Observability;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.ExternalScaler.Tests.Depth;

/// <summary>
/// One <see cref="DepthPoller"/> on a scripted transport and a fake clock per test, started before it and stopped after;
/// the poller's waits are read from the clock, so nothing else may create timers on it.
/// </summary>
#pragma warning disable CA1001 // the poller, transport and services are released in IAsyncLifetime.DisposeAsync
public abstract class PollerTestBase<TTransport> : IAsyncLifetime
#pragma warning restore CA1001
    where TTransport : ScriptedTransport
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PollerSettings _settings;

    private protected PollerTestBase(PollerSettings settings, Func<TimerWatchingTimeProvider, TTransport> transport)
    {
        _settings = settings;
        Transport = transport(Time);
    }

    protected TimerWatchingTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private protected TTransport Transport { get; }

    private protected DepthPoller Poller { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var metrics = new ScalerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Time);
        Poller = new DepthPoller("fake", "pubsub.fake", _ => Task.FromResult<ITransport>(Transport), _settings, Time, metrics, NullLogger.Instance);
        await Poller.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await Poller.StopAsync(default);
        Poller.Dispose();
        await Transport.DisposeAsync(); // the poller does not own the transport it was handed
        await _services.DisposeAsync();
    }

    /// <summary>The poller's own waits; a read of a queue with no sample yet waits <see cref="PollerSettings.StaleAfter"/>.</summary>
    private protected bool IsPollerWait(TimeSpan due) => due != _settings.StaleAfter;
}
