using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Asya.Components.Observability;

/// <summary>
/// Aggregates one <see cref="Meter"/>'s instruments with a <see cref="MeterListener"/> and renders Prometheus text
/// format 0.0.4, so series names, labels and buckets come out exactly as the instruments name them (no unit suffixes
/// added). Histogram buckets come from the instrument's advice; observable gauges are read at each render.
/// Shared by the sidecar and the external scaler.
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);

    // OpenTelemetry's defaults, for a histogram created without bucket advice.
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>Starts listening to the instruments of <paramref name="meter"/>.</summary>
    public PrometheusExposition(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The current value of every series, in Prometheus text format.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var instrument = _instruments[group.Key];
            var type = instrument switch
            {
                Histogram<double> => "histogram",
                UpDownCounter<long> or ObservableGauge<double> or ObservableGauge<long> => "gauge",
                _ => "counter",
            };
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(type).Append('\n');
            foreach (var series in group.OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                series.Write(text);
            }
        }

        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = FormatLabels(tags);
        var series = _series.GetOrAdd(instrument.Name + labels, _ => new Series(instrument.Name, labels, BucketsOf(instrument)));
        if (instrument.IsObservable)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    private static double[]? BucketsOf(Instrument instrument) =>
        instrument is Histogram<double> histogram ? histogram.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets : null;

    private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var value = Convert.ToString(pairs[i].Value, CultureInfo.InvariantCulture) ?? "";
            text.Append(pairs[i].Key).Append("=\"")
                .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
                .Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private sealed class Series(string name, string labels, double[]? buckets)
    {
        private readonly Lock _gate = new();
        private readonly long[]? _counts = buckets is null ? null : new long[buckets.Length];
        private double _sum;
        private long _count;

        public string Name { get; } = name;

        public string Labels { get; } = labels;

        public void Add(double value)
        {
            lock (_gate)
            {
                _sum += value;
                _count++;
                if (_counts is not null)
                {
                    for (var i = 0; i < buckets!.Length; i++)
                    {
                        if (value <= buckets[i])
                        {
                            _counts[i]++;
                            break;
                        }
                    }
                }
            }
        }

        /// <summary>An observed gauge: the last observation is the value.</summary>
        public void Set(double value)
        {
            lock (_gate)
            {
                _sum = value;
                _count = 1;
            }
        }

        public void Write(StringBuilder text)
        {
            lock (_gate)
            {
                if (_counts is null)
                {
                    text.Append(Name).Append(Labels).Append(' ').Append(Number(_sum)).Append('\n');
                    return;
                }

                long cumulative = 0;
                for (var i = 0; i < buckets!.Length; i++)
                {
                    cumulative += _counts[i];
                    text.Append(Name).Append("_bucket").Append(WithLe(Number(buckets[i]))).Append(' ').Append(cumulative).Append('\n');
                }

                text.Append(Name).Append("_bucket").Append(WithLe("+Inf")).Append(' ').Append(_count).Append('\n');
                text.Append(Name).Append("_sum").Append(Labels).Append(' ').Append(Number(_sum)).Append('\n');
                text.Append(Name).Append("_count").Append(Labels).Append(' ').Append(_count).Append('\n');
            }
        }

        private string WithLe(string le) => Labels.Length == 0 ? $"{{le=\"{le}\"}}" : $"{Labels[..^1]},le=\"{le}\"}}";

        private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
