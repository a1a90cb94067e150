using System.Diagnostics.Metrics;
using Asya.Gateway.Tasks;

namespace Asya.Gateway.Observability;

/// <summary>The gateway's instruments, exposed on <c>/metrics</c> by the shared Prometheus exposition.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Asya.Gateway";

    private static readonly double[] LagBuckets = [.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _reports;
    private readonly Counter<long> _flyDropped;
    private readonly Histogram<double> _reportLag;
    private IReadOnlyDictionary<TaskState, long> _counts = new Dictionary<TaskState, long>();

    public GatewayMetrics(IMeterFactory meterFactory, ITaskEventHub hub)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(hub);
        Meter = meterFactory.Create(MeterName);
        _submitted = Meter.CreateCounter<long>("asya_gateway_tasks_submitted_total", description: "Tasks submitted, by outcome (sent, send_failed)");
        _reports = Meter.CreateCounter<long>("asya_gateway_reports_total", description: "Sidecar reports on the mesh port, by type and outcome (applied, unchanged, not_found; held or dropped while the task store is unreachable)");
        _flyDropped = Meter.CreateCounter<long>("asya_gateway_sse_fly_dropped_total", description: "FLY events dropped for SSE clients that fell behind");
        _reportLag = Meter.CreateHistogram(
            "asya_gateway_report_lag_seconds", unit: null, description: "From a sidecar's report time to the gateway applying it", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        Meter.CreateObservableGauge("asya_gateway_sse_subscribers", () => (long)hub.SubscriberCount, description: "Open SSE event streams on this replica");
        Meter.CreateObservableGauge("asya_gateway_fly_recent", () => (long)hub.RecentFly.Count, description: "FLY events of running tasks this replica keeps for late subscribers");
        Meter.CreateObservableCounter("asya_gateway_fly_recent_dropped_total", () => hub.RecentFly.Dropped, description: "FLY events pushed out of the recent memory by its per-task or overall bound");
        Meter.CreateObservableGauge("asya_gateway_tasks", ObserveCounts, description: "Tasks in the store, by status (sampled every backstop interval)");
    }

    public Meter Meter { get; }

    public void Submitted(bool sent) => _submitted.Add(1, new KeyValuePair<string, object?>("outcome", sent ? "sent" : "send_failed"));

    public void Reported(TaskReportType type, TaskChangeOutcome outcome, int count = 1) =>
        _reports.Add(count, new("type", type == TaskReportType.Fly ? "fly" : "status"), new("outcome", outcome switch
        {
            TaskChangeOutcome.Applied => "applied",
            TaskChangeOutcome.NotFound => "not_found",
            _ => "unchanged",
        }));

    /// <summary>A report that met an unreachable task store: held for retry (status), or dropped (FLY; status past the hold's capacity).</summary>
    public void StoreUnavailable(TaskReportType type, bool held, int count = 1) =>
        _reports.Add(count, new("type", type == TaskReportType.Fly ? "fly" : "status"), new("outcome", held ? "held" : "dropped"));

    public void ReportLag(TimeSpan lag) => _reportLag.Record(Math.Max(0, lag.TotalSeconds));

    public void FlyDropped(long count) => _flyDropped.Add(count);

    /// <summary>The latest task counts by status, sampled by <see cref="Service.DeadlineBackstop"/>.</summary>
    public void SetCounts(IReadOnlyDictionary<TaskState, long> counts) => Volatile.Write(ref _counts, counts);

    private IEnumerable<Measurement<long>> ObserveCounts() =>
        Volatile.Read(ref _counts).Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key.ToWire())));
}
