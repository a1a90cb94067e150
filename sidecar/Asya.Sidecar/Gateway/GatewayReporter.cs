using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// Sends status and FLY reports to tasks' gateways without ever holding up an envelope: <see cref="Report"/> only
/// appends to its task's lane (at most <c>--gateway-queue-size</c> reports wait or are in flight; one more is dropped). The
/// background sender posts each lane's waiting reports as one request (a JSON array), at most one request per task in
/// flight, so a task's FLY events and statuses arrive in the order they were made, while different tasks are sent in
/// parallel (at most <see cref="MaxParallelSends"/>). A gateway that does not answer is skipped for a backoff
/// (<see cref="GatewayHealth"/>); its reports are dropped meanwhile. Every drop is counted
/// (<c>asya_actor_gateway_reports_dropped_total{reason}</c>) and warned about at most every 10 s. A 404 means the
/// gateway does not know the task: nothing more is sent for that id.
/// </summary>
internal sealed class GatewayReporter : BackgroundService
{
    /// <summary>Ids the gateway answered 404 for; cleared when it grows past this, so it stays bounded.</summary>
    private const int MaxUnknownTasks = 10_000;

    /// <summary>Requests in flight at once, one task each.</summary>
    public const int MaxParallelSends = 8;

    /// <summary>Reports in one request: a burst larger than this goes as several requests, still in order.</summary>
    public const int MaxBatch = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<GatewayTarget, GatewayReportLane> _lanes = [];
    private readonly Channel<GatewayReportLane> _ready = Channel.CreateUnbounded<GatewayReportLane>(); // not SingleReader: that one cannot Count
    // Never disposed: senders still running at shutdown release their slot (it holds no wait handle).
    private readonly SemaphoreSlim _slots = new(MaxParallelSends, MaxParallelSends);
    private readonly int _capacity;
    private readonly GatewayClient _client;
    private readonly GatewayHealth _health;
    private readonly SidecarMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GatewayReporter> _logger;
    private readonly ConcurrentDictionary<GatewayTarget, byte> _unknown = new();
    private readonly GatewayTargets _targets;
    private readonly WarningThrottle _dropWarnings;
    // Stops the senders started straight from Enqueue; like the slots, never disposed (senders may still read it).
    private readonly CancellationTokenSource _stopping = new();
    private int _waiting;

    public GatewayReporter(SidecarOptions options, GatewayClient client, GatewayHealth health, SidecarMetrics metrics, TimeProvider timeProvider, ILogger<GatewayReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _capacity = options.GatewayQueueSize;
        _client = client;
        _health = health;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _dropWarnings = new WarningThrottle(timeProvider, TimeSpan.FromSeconds(10));
        _targets = new GatewayTargets(options.GatewayUrl, metrics, timeProvider, logger);
    }

    /// <summary>The gateway <paramref name="envelope"/> reports to, or null (see <see cref="GatewayTargets"/>).</summary>
    public GatewayTarget? TargetOf(Envelope envelope) => _targets.Of(envelope);

    /// <summary>
    /// Queues <paramref name="body"/> for <paramref name="target"/>'s gateway; never waits. Reports queued or in flight
    /// count against <c>--gateway-queue-size</c>.
    /// </summary>
    public void Report(GatewayTarget target, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_unknown.ContainsKey(target))
        {
            return;
        }

        if (Interlocked.Increment(ref _waiting) > _capacity)
        {
            Interlocked.Decrement(ref _waiting);
            Dropped(target, "queue_full");
            return;
        }

        Enqueue(new GatewayReport(target, body));
    }

    /// <summary>
    /// Waits, at most <paramref name="budget"/>, until every report of <paramref name="target"/> queued so far was sent or
    /// dropped, so the FLY events of a hop reach the gateway before the next sidecar can report the task finished. A
    /// gateway that is down costs nothing (the reports before the marker are dropped at once).
    /// </summary>
    public async Task FlushAsync(GatewayTarget target, TimeSpan budget, CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new GatewayReport(target, null, flushed));
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
        await using var stop = stoppingToken.Register(_stopping.Cancel);
        await foreach (var lane in _ready.Reader.ReadAllAsync(stoppingToken))
        {
            await _slots.WaitAsync(stoppingToken);
            _ = Task.Run(() => DrainAsync(lane, stoppingToken), CancellationToken.None);
        }
    }

    private void Enqueue(GatewayReport report)
    {
        GatewayReportLane? start = null;
        lock (_gate)
        {
            if (!_lanes.TryGetValue(report.Target, out var lane))
            {
                lane = new GatewayReportLane(report.Target);
                _lanes.Add(report.Target, lane);
            }

            lane.Waiting.Enqueue(report);
            if (!lane.Scheduled)
            {
                lane.Scheduled = true;
                start = lane;
            }
        }

        if (start is null)
        {
            return;
        }

        // A free slot starts the lane's sender at once (one thread hop less on the way to the gateway); otherwise, or
        // when lanes already wait for a slot, the lane waits in line.
        if (_ready.Reader.Count == 0 && _slots.Wait(0))
        {
            var stopping = _stopping.Token;
            _ = Task.Run(() => DrainAsync(start, stopping), CancellationToken.None);
        }
        else if (!_ready.Writer.TryWrite(start))
        {
            // The sender stopped: nothing will send this lane, so its reports are dropped and its flush markers pass now.
            while (Take(start, int.MaxValue, out var events) is { Count: > 0 } rest)
            {
                Interlocked.Add(ref _waiting, -events);
                rest.ForEach(r => r.Flushed?.TrySetResult());
            }
        }
    }

    /// <summary>Sends a lane's reports batch by batch until it is empty; the lane's one request in flight.</summary>
    private async Task DrainAsync(GatewayReportLane lane, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var batch = Take(lane, MaxBatch, out var events);
                if (batch.Count == 0)
                {
                    return;
                }

                try
                {
                    if (events > 0)
                    {
                        await SendAsync(lane.Target, batch, events, cancellationToken);
                    }
                }
#pragma warning disable CA1031 // an unexpected failure costs this batch (counted), never the lane: its later reports still go
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    Dropped(lane.Target, "error", events);
                }
                finally
                {
                    // Sent or dropped, the batch leaves the bound only now: in flight it still holds its memory.
                    Interlocked.Add(ref _waiting, -events);
                    foreach (var report in batch)
                    {
                        report.Flushed?.TrySetResult();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The sidecar stops: what is still queued is dropped.
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> events of the lane (with the flush markers among and right after them); an empty
    /// lane is removed and unscheduled, so the next report schedules it again.
    /// </summary>
    private List<GatewayReport> Take(GatewayReportLane lane, int max, out int events)
    {
        var batch = new List<GatewayReport>();
        events = 0;
        lock (_gate)
        {
            while (lane.Waiting.TryPeek(out var next) && (next.Body is null || events < max))
            {
                batch.Add(lane.Waiting.Dequeue());
                events += next.Body is null ? 0 : 1;
            }

            if (batch.Count == 0)
            {
                lane.Scheduled = false;
                _lanes.Remove(lane.Target);
            }
        }

        return batch;
    }

    private async Task SendAsync(GatewayTarget target, List<GatewayReport> batch, int events, CancellationToken cancellationToken)
    {
        if (_unknown.ContainsKey(target))
        {
            return;
        }

        if (!_health.MayCall(target.BaseUrl))
        {
            Dropped(target, "unreachable", events);
            return;
        }

        var bodies = batch.Where(r => r.Body is not null).Select(r => r.Body!).ToList();
        switch (await _client.PostEventsAsync(target, bodies, cancellationToken))
        {
            case GatewayCallResult.Ok:
                _health.MarkUp(target.BaseUrl);
                _metrics.GatewayReportSent(events);
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
                Dropped(target, "rejected", events);
                break;
            default:
                _health.MarkDown(target.BaseUrl);
                Dropped(target, "unreachable", events);
                break;
        }
    }

    private void Dropped(GatewayTarget target, string reason, int count = 1)
    {
        _metrics.GatewayReportDropped(reason, count);
        if (_dropWarnings.Count(out var dropped, count))
        {
            _logger.GatewayReportsDropped(dropped, target.BaseUrl, reason);
        }
    }

    public override void Dispose()
    {
        _ready.Writer.TryComplete();
        _stopping.Cancel();
        base.Dispose();
    }
}
