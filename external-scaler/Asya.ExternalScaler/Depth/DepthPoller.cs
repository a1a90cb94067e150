using System.Collections.Concurrent;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Observability;
using Asya.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.ExternalScaler.Depth;

/// <summary>
/// Keeps the depths of every queue some ScaledObject currently asks about, for one transport component: one
/// <see cref="IQueueDepthSource.GetQueueDepthsAsync"/> per interval whatever the number of queues, so broker calls do
/// not grow with actors. RPCs read the cache only. The transport is created here, retried while the broker is down,
/// so the scaler serves <c>GetMetricSpec</c> before any broker answers; whoever creates it owns it (the engine's
/// <see cref="Asya.Components.AppComponents"/>) and disposes it.
/// </summary>
internal sealed class DepthPoller(
    string component,
    string componentType,
    Func<CancellationToken, Task<ITransport>> createTransport,
    PollerSettings settings,
    TimeProvider timeProvider,
    ScalerMetrics metrics,
    ILogger logger) : BackgroundService
{
    /// <summary>Waits between attempts to create the transport: 200 ms, 400 ms, … at most 5 s.</summary>
    private static readonly Backoff CreateBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    /// <summary>Added to the interval after failed polls: 100 ms, 200 ms, … at most 1 s, so recovery is noticed fast.</summary>
    private static readonly Backoff PollBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    /// <summary>How long past its longest wait one poll or connect attempt may take before <c>/readyz</c> calls the poller stuck.</summary>
    public static readonly TimeSpan HungAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, QueueWatch> _queues = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _lastError;
    private volatile string? _unsupported;
    private long _polls;
    private long _probes;

    public string Component { get; } = component;

    /// <summary>
    /// Beats before every poll and connect attempt; stale when one has not returned <see cref="HungAfter"/> past the
    /// longest wait between two (the interval plus the poll backoff's cap). A broker that answers with errors is progress.
    /// </summary>
    public LoopHeartbeat Heartbeat { get; } = new("depth-poller " + component, settings.Interval + PollBackoff.Cap + HungAfter, timeProvider);

    public string ComponentType { get; } = componentType;

    public PollerSettings Settings { get; } = settings;

    /// <summary>Why this transport cannot be scaled (it has no depth capability), or null.</summary>
    public string? Unsupported => _unsupported;

    /// <summary>The last poll or connect failure, for Unavailable messages; null after a good poll.</summary>
    public string? LastError => _lastError;

    /// <summary>Broker depth calls made so far (one per interval, whatever the number of queues).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>Live ready-count probes made between polls (transports with lagging depths only).</summary>
    public long Probes => Interlocked.Read(ref _probes);

    public int QueueCount => _queues.Count;

    public IEnumerable<QueueWatch> Queues => _queues.Values;

    /// <summary>The watch of <paramref name="queue"/>, added (and polled at once) when new.</summary>
    public QueueWatch Track(string queue)
    {
        var now = timeProvider.GetTimestamp();
        if (_queues.TryGetValue(queue, out var watch))
        {
            watch.Touch(now);
            return watch;
        }

        watch = _queues.GetOrAdd(queue, q => new QueueWatch(q, now));
        Volatile.Read(ref _wake).TrySetResult();
        return watch;
    }

    /// <summary>
    /// The cached depth of <paramref name="queue"/>; waits for the first poll of a queue nobody asked about before.
    /// Stale or missing data throws <see cref="DepthUnavailableException"/>: never a made-up zero.
    /// </summary>
    public async ValueTask<QueueDepth> ReadAsync(string queue, CancellationToken cancellationToken)
    {
        if (_unsupported is { } unsupported)
        {
            throw new DepthUnavailableException(unsupported, permanent: true);
        }

        var watch = Track(queue);
        var sample = watch.Sample;
        if (sample is null)
        {
            try
            {
                await watch.WaitFirstSampleAsync(Settings.StaleAfter, timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new DepthUnavailableException(
                    $"no depth yet for queue '{queue}' from transport component '{Component}'{Reason()}", permanent: false);
            }

            sample = watch.Sample!;
        }

        var age = timeProvider.GetUtcNow() - sample.At;
        if (age > Settings.StaleAfter)
        {
            throw new DepthUnavailableException(
                $"depth of queue '{queue}' from transport component '{Component}' is {age.TotalSeconds:0.0} s old " +
                $"(limit {Settings.StaleAfter.TotalSeconds:0.0} s){Reason()}", permanent: false);
        }

        return sample.Depth;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var transport = await CreateAsync(stoppingToken);
        if (transport is null)
        {
            Heartbeat.Idle();
            return;
        }

        if (transport is not IQueueDepthSource source)
        {
            _unsupported = $"transport component '{Component}' ({ComponentType}) cannot report queue depths, so its actors cannot be scaled";
            logger.TransportUnsupported(Component, ComponentType);
            Heartbeat.Idle();
            return;
        }

        logger.PollerStarted(Component, ComponentType, Settings.Interval, Settings.StaleAfter);
        try
        {
            await PollLoopAsync(source, stoppingToken);
        }
        finally
        {
            // A stopped poller is not a stuck one: /readyz must not call it stale.
            Heartbeat.Idle();
        }
    }

    private async Task<ITransport?> CreateAsync(CancellationToken stoppingToken)
    {
        var delay = CreateBackoff.First;
        while (!stoppingToken.IsCancellationRequested)
        {
            Heartbeat.Beat();
            try
            {
                return await createTransport(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
#pragma warning disable CA1031 // a broker that is down at start-up must not stop the scaler; the error is served as Unavailable
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex.Message;
                logger.TransportCreateFailed(ex, Component, delay);
                Heartbeat.Beat();
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            delay = CreateBackoff.Next(delay);
        }

        return null;
    }

    private async Task PollLoopAsync(IQueueDepthSource source, CancellationToken stoppingToken)
    {
        var failures = 0;
        var probe = source as IReadyCountSource;
        var nextPoll = timeProvider.GetUtcNow();
        var woken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A queue tracked from here on wakes this wait; one tracked before is already in the key snapshot below.
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            Heartbeat.Beat();
            Forget();
            // Woken by a queue tracked for the first time: poll now, its first sample is awaited.
            if (timeProvider.GetUtcNow() >= nextPoll || woken)
            {
                if (!_queues.IsEmpty)
                {
                    failures = await PollOnceAsync(source, failures, stoppingToken) ? 0 : failures + 1;
                }

                var delay = Settings.Interval + PollBackoff.After(failures);
                nextPoll = timeProvider.GetUtcNow() + delay;
            }
            else if (probe is not null)
            {
                await ProbeOnceAsync(probe, stoppingToken);
            }

            var wait = TimeSpan.FromTicks(Math.Max(0, (nextPoll - timeProvider.GetUtcNow()).Ticks));
            // Every probe interval even with no push stream yet: one that opens now must not wait for the next poll.
            if (probe is not null && failures == 0 && wait > Settings.ProbeInterval)
            {
                wait = Settings.ProbeInterval;
            }

            try
            {
                await Task.WhenAny(Task.Delay(wait, timeProvider, stoppingToken), wake.Task).WaitAsync(stoppingToken);
                woken = wake.Task.IsCompleted;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Live ready counts of the queues push streams listen to, laid over their last sample: an actor at zero wakes within
    /// a probe interval although the full depths lag. Errors are left to the next poll, which reports them.
    /// </summary>
    private async Task ProbeOnceAsync(IReadyCountSource probe, CancellationToken stoppingToken)
    {
        var pushed = _queues.Values.Where(w => w.HasListeners && w.Sample is not null).ToArray();
        if (pushed.Length == 0)
        {
            return;
        }

        try
        {
            Interlocked.Increment(ref _probes);
            var ready = await probe.GetReadyCountsAsync([.. pushed.Select(w => w.Queue)], stoppingToken);
            foreach (var watch in pushed)
            {
                if (ready.TryGetValue(watch.Queue, out var count) && watch.Sample is { } sample && sample.Depth.Ready != count)
                {
                    // The sample keeps its time: staleness is judged by the full polls alone.
                    watch.Publish(sample with { Depth = sample.Depth with { Ready = count } });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // a failed probe changes nothing; the next full poll reports the broker's state
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<bool> PollOnceAsync(IQueueDepthSource source, int failures, CancellationToken stoppingToken)
    {
        var queues = _queues.Keys.ToArray();
        var started = timeProvider.GetTimestamp();
        try
        {
            Interlocked.Increment(ref _polls);
            var depths = await source.GetQueueDepthsAsync(queues, stoppingToken);
            var at = timeProvider.GetUtcNow();
            foreach (var queue in queues)
            {
                if (depths.TryGetValue(queue, out var depth) && _queues.TryGetValue(queue, out var watch))
                {
                    watch.Publish(new DepthSample(depth, at));
                }
            }

            metrics.Polled(Component, ok: true, timeProvider.GetElapsedTime(started));
            if (failures > 0)
            {
                logger.PollRecovered(Component, failures);
            }

            _lastError = null;
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // any broker failure is reported as stale data (Unavailable), never as depth 0
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.Polled(Component, ok: false, timeProvider.GetElapsedTime(started));
            _lastError = ex.Message;
            if (failures == 0)
            {
                logger.PollFailed(ex, Component, queues.Length);
            }

            return false;
        }
    }

    private string Reason() => _lastError is { } error ? $": {error}" : "";

    private void Forget()
    {
        var now = timeProvider.GetTimestamp();
        foreach (var (queue, watch) in _queues)
        {
            if (!watch.HasListeners && timeProvider.GetElapsedTime(watch.TouchedAt, now) > Settings.ForgetAfter)
            {
                _queues.TryRemove(queue, out _);
            }
        }
    }
}
