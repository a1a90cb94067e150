using System.Diagnostics.Metrics;

using Asya.Sidecar.Engine;

namespace Asya.Sidecar.Observability;

/// <summary>Every instrument of the sidecar, named exactly as upstream's Prometheus series (docs/design.md §9).</summary>
internal sealed class SidecarMetrics
{
    public const string MeterName = "Asya.Sidecar";

    public static readonly double[] ProcessingBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120];
    public static readonly double[] ReceiveBuckets = [.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];
    public static readonly double[] SendBuckets = [.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5];
    public static readonly double[] SizeBuckets = [100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    private readonly Counter<long> _received;
    private readonly Counter<long> _processed;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _processing;
    private readonly Histogram<double> _runtime;
    private readonly Histogram<double> _receive;
    private readonly Histogram<double> _send;
    private readonly Histogram<double> _size;
    private readonly Counter<long> _runtimeErrors;
    private readonly Counter<long> _gatewaySent;
    private readonly Counter<long> _gatewayDropped;
    private readonly Counter<long> _gatewayPreFlight;
    private readonly Counter<long> _gatewayUrlIgnored;

    public SidecarMetrics(IMeterFactory meterFactory, string actor, string transport)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Actor = actor;
        Transport = transport;
        Meter = meterFactory.Create(MeterName);
        _received = Meter.CreateCounter<long>("asya_actor_messages_received_total", description: "Messages received from the actor queue");
        _processed = Meter.CreateCounter<long>("asya_actor_messages_processed_total", description: "Messages processed, by outcome");
        _sent = Meter.CreateCounter<long>("asya_actor_messages_sent_total", description: "Envelopes sent, by destination queue and kind");
        _failed = Meter.CreateCounter<long>("asya_actor_messages_failed_total", description: "Messages that failed, by reason");
        _active = Meter.CreateUpDownCounter<long>("asya_actor_active_messages", description: "Messages being processed now");
        _processing = Histogram("asya_actor_processing_duration_seconds", "Time from receive to ack", ProcessingBuckets);
        _runtime = Histogram("asya_actor_runtime_execution_duration_seconds", "Time spent in the runtime call", ProcessingBuckets);
        _receive = Histogram("asya_actor_queue_receive_duration_seconds", "Time spent in a transport receive", ReceiveBuckets);
        _send = Histogram("asya_actor_queue_send_duration_seconds", "Time spent in a transport send", SendBuckets);
        _size = Histogram("asya_actor_envelope_size_bytes", "Envelope size in bytes", SizeBuckets);
        _runtimeErrors = Meter.CreateCounter<long>("asya_actor_runtime_errors_total", description: "Handler errors reported by the runtime");
        _gatewaySent = Meter.CreateCounter<long>("asya_actor_gateway_reports_sent_total", description: "Status and FLY reports the gateway accepted");
        _gatewayDropped = Meter.CreateCounter<long>("asya_actor_gateway_reports_dropped_total", description: "Status and FLY reports dropped, by reason");
        _gatewayPreFlight = Meter.CreateCounter<long>("asya_actor_gateway_preflight_total", description: "Pre-flight task status checks, by result");
        _gatewayUrlIgnored = Meter.CreateCounter<long>(
            "asya_actor_gateway_url_ignored_total", description: "Gateway URLs the SSRF guard refused (not http/https with a host), by source");
    }

    public Meter Meter { get; }

    public string Actor { get; }

    public string Transport { get; }

    public void Received(int bytes)
    {
        _received.Add(1, new("queue", Actor), new("transport", Transport));
        _size.Record(bytes, new KeyValuePair<string, object?>("direction", "received"));
    }

    /// <summary>Counts a delivery's outcome under its metric labels (processed status, failed reason, or both).</summary>
    public void Count(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.ProcessedStatus is { } status)
        {
            _processed.Add(1, new("queue", Actor), new("status", status));
        }

        if (outcome.FailedReason is { } reason)
        {
            Failed(reason);
        }
    }

    public void ProcessingDuration(TimeSpan duration) =>
        _processing.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("queue", Actor));

    /// <summary>Counts a failure that is not a delivery's outcome (e.g. a routing error of the receive loop).</summary>
    public void Failed(string reason) => _failed.Add(1, new("queue", Actor), new("reason", reason));

    public void Sent(string destinationQueue, string messageType, int bytes, TimeSpan duration)
    {
        _sent.Add(1, new("destination_queue", destinationQueue), new("message_type", messageType));
        _send.Record(duration.TotalSeconds, new("destination_queue", destinationQueue), new("transport", Transport));
        _size.Record(bytes, new KeyValuePair<string, object?>("direction", "sent"));
    }

    public void ReceiveDuration(TimeSpan duration) =>
        _receive.Record(duration.TotalSeconds, new("queue", Actor), new("transport", Transport));

    public void RuntimeDuration(TimeSpan duration) =>
        _runtime.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("queue", Actor));

    public void RuntimeError() => _runtimeErrors.Add(1, new("queue", Actor), new("error_type", "execution_error"));

    public void GatewayReportSent(int count = 1) => _gatewaySent.Add(count, new KeyValuePair<string, object?>("queue", Actor));

    /// <summary>A report not sent: <c>queue_full</c>, <c>unreachable</c> (timeout, refused, or the gateway is down) or <c>rejected</c> (HTTP error).</summary>
    public void GatewayReportDropped(string reason, int count = 1) => _gatewayDropped.Add(count, new("queue", Actor), new("reason", reason));

    /// <summary>A pre-flight check: <c>answered</c>, <c>cached</c>, <c>failed_open</c> (error or timeout) or <c>skipped</c> (gateway down).</summary>
    public void GatewayPreFlight(string result) => _gatewayPreFlight.Add(1, new("queue", Actor), new("result", result));

    /// <summary>A gateway URL never called: from an envelope's <c>header</c>, or the <c>flag</c> --gateway-url (once, at start).</summary>
    public void GatewayUrlIgnored(string source) => _gatewayUrlIgnored.Add(1, new("queue", Actor), new("source", source));

    public void ActiveChanged(int delta) => _active.Add(delta);

    private Histogram<double> Histogram(string name, string description, double[] buckets) =>
        Meter.CreateHistogram(name, unit: null, description: description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
}
