using System.Diagnostics.Metrics;
using Asya.ExternalScaler.Depth;

namespace Asya.ExternalScaler.Observability;

/// <summary>The scaler's instruments, exposed on <c>/metrics</c> by the shared Prometheus exposition.</summary>
internal sealed class ScalerMetrics
{
    public const string MeterName = "Asya.ExternalScaler";

    private static readonly double[] CallBuckets = [.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1];
    private static readonly double[] PollBuckets = [.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _pollDuration;
    private readonly UpDownCounter<long> _streams;
    private readonly Counter<long> _pushes;
    private readonly TimeProvider _timeProvider;
    private DepthEngine? _engine;

    public ScalerMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _timeProvider = timeProvider;
        Meter = meterFactory.Create(MeterName);
        _calls = Meter.CreateCounter<long>("asya_scaler_calls_total", description: "External scaler RPCs, by method and status code");
        _callDuration = Meter.CreateHistogram(
            "asya_scaler_call_duration_seconds", unit: null, description: "Time to answer a unary RPC", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });
        _polls = Meter.CreateCounter<long>("asya_scaler_broker_polls_total", description: "Depth polls sent to a broker, by component and outcome");
        _pollDuration = Meter.CreateHistogram(
            "asya_scaler_broker_poll_duration_seconds", unit: null, description: "Time of one depth poll of all watched queues", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollBuckets });
        _streams = Meter.CreateUpDownCounter<long>("asya_scaler_push_streams", description: "Open StreamIsActive streams");
        _pushes = Meter.CreateCounter<long>("asya_scaler_push_activations_total", description: "true pushed on StreamIsActive (inactive to active)");
        Meter.CreateObservableGauge("asya_scaler_cache_age_seconds", ObserveAges, description: "Age of the cached depth, by component and queue (one queue per actor)");
        Meter.CreateObservableGauge("asya_scaler_watched_queues", ObserveQueues, description: "Queues polled, by component");
    }

    public Meter Meter { get; }

    public void Observe(DepthEngine engine) => _engine = engine;

    public void Called(string method, string code, TimeSpan? duration)
    {
        _calls.Add(1, new("method", method), new("code", code));
        if (duration is { } elapsed)
        {
            _callDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("method", method));
        }
    }

    public void Polled(string component, bool ok, TimeSpan duration)
    {
        _polls.Add(1, new("component", component), new("outcome", ok ? "ok" : "error"));
        _pollDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("component", component));
    }

    public void StreamOpened() => _streams.Add(1);

    public void StreamClosed() => _streams.Add(-1);

    public void Pushed(string component) => _pushes.Add(1, new KeyValuePair<string, object?>("component", component));

    private IEnumerable<Measurement<double>> ObserveAges()
    {
        if (_engine is null)
        {
            yield break;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var poller in _engine.Pollers.Values)
        {
            foreach (var watch in poller.Queues)
            {
                if (watch.Sample is { } sample)
                {
                    yield return new((now - sample.At).TotalSeconds, new("component", poller.Component), new("queue", watch.Queue));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveQueues()
    {
        if (_engine is null)
        {
            yield break;
        }

        foreach (var poller in _engine.Pollers.Values)
        {
            yield return new(poller.QueueCount, new KeyValuePair<string, object?>("component", poller.Component));
        }
    }
}
