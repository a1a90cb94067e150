using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Text.Json.Nodes;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// Sends status and FLY reports to tasks' gateways without ever holding up an envelope: <see cref="Report"/> only
/// writes to a bounded channel (a full one drops the report), and one background loop posts them in the order they
/// were made, so a task's FLY events and statuses arrive in order. A gateway that does not answer is skipped for a
/// backoff (<see cref="GatewayHealth"/>); its reports are dropped meanwhile. Every drop is counted
/// (<c>asya_actor_gateway_reports_dropped_total{reason}</c>) and warned about at most every 10 s. A 404 means the
/// gateway does not know the task: nothing more is sent for that id.
/// </summary>
internal sealed class GatewayReporter : BackgroundService
{
    private static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(10);

    /// <summary>Ids the gateway answered 404 for; cleared when it grows past this, so it stays bounded.</summary>
    private const int MaxUnknownTasks = 10_000;

    private readonly Channel<GatewayReport> _queue;
    private readonly GatewayClient _client;
    private readonly GatewayHealth _health;
    private readonly SidecarMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GatewayReporter> _logger;
    private readonly ConcurrentDictionary<GatewayTarget, byte> _unknown = new();
    private readonly Lock _warnLock = new();
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;
    private long _droppedSinceWarning;

    public GatewayReporter(SidecarOptions options, GatewayClient client, GatewayHealth health, SidecarMetrics metrics, TimeProvider timeProvider, ILogger<GatewayReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = Channel.CreateBounded<GatewayReport>(new BoundedChannelOptions(options.GatewayQueueSize)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _client = client;
        _health = health;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Queues <paramref name="body"/> for <paramref name="target"/>'s gateway; never waits.</summary>
    public void Report(GatewayTarget target, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_unknown.ContainsKey(target))
        {
            return;
        }

        if (!_queue.Writer.TryWrite(new GatewayReport(target, body)))
        {
            Dropped(target, "queue_full");
        }
    }

    /// <summary>
    /// Waits, at most <paramref name="budget"/>, until every report queued so far was sent or dropped, so the FLY events
    /// of a hop reach the gateway before the next sidecar can report the task finished. A full queue or a gateway that
    /// is down costs nothing (the marker is not queued, or passes at once as the reports before it are dropped).
    /// </summary>
    public async Task FlushAsync(GatewayTarget target, TimeSpan budget, CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new GatewayReport(target, null, flushed)))
        {
            return;
        }

        try
        {
            await flushed.Task.WaitAsync(budget, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The gateway is slow: the envelope goes on, its remaining reports follow when they can.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var report in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await SendAsync(report, stoppingToken);
        }
    }

    private async Task SendAsync(GatewayReport report, CancellationToken cancellationToken)
    {
        if (report.Flushed is { } flushed)
        {
            flushed.TrySetResult();
            return;
        }

        var target = report.Target;
        if (_unknown.ContainsKey(target))
        {
            return;
        }

        if (!_health.MayCall(target.BaseUrl))
        {
            Dropped(target, "unreachable");
            return;
        }

        switch (await _client.PostEventAsync(target, report.Body!, cancellationToken))
        {
            case GatewayCallResult.Ok:
                _health.MarkUp(target.BaseUrl);
                _metrics.GatewayReportSent();
                break;
            case GatewayCallResult.UnknownTask:
                _health.MarkUp(target.BaseUrl);
                if (_unknown.Count >= MaxUnknownTasks)
                {
                    _unknown.Clear();
                }

                _unknown.TryAdd(target, 0);
                break;
            case GatewayCallResult.Rejected:
                _health.MarkUp(target.BaseUrl);
                Dropped(target, "rejected");
                break;
            default:
                _health.MarkDown(target.BaseUrl);
                Dropped(target, "unreachable");
                break;
        }
    }

    private void Dropped(GatewayTarget target, string reason)
    {
        _metrics.GatewayReportDropped(reason);
        Interlocked.Increment(ref _droppedSinceWarning);
        long dropped;
        lock (_warnLock)
        {
            var now = _timeProvider.GetUtcNow();
            if (now - _lastWarning < WarnEvery)
            {
                return;
            }

            _lastWarning = now;
            dropped = Interlocked.Exchange(ref _droppedSinceWarning, 0);
        }

        _logger.GatewayReportsDropped(dropped, target.BaseUrl, reason);
    }

    public override void Dispose()
    {
        _queue.Writer.TryComplete();
        base.Dispose();
    }
}
