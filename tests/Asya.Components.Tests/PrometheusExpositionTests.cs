using System.Diagnostics.Metrics;
using Asya.Components.Observability;

namespace Asya.Components.Tests;

public sealed class PrometheusExpositionTests
{
    [Fact]
    public void Render_Counter_HelpTypeAndLabelsSortedByKey()
    {
        using var meter = new Meter(nameof(Render_Counter_HelpTypeAndLabelsSortedByKey));
        using var exposition = new PrometheusExposition(meter);
        var counter = meter.CreateCounter<long>("jobs_total", description: "Jobs done");
        counter.Add(2, new("zone", "b"), new("app", "a"));
        counter.Add(3, new("app", "a"), new("zone", "b"));

        var text = exposition.Render();

        Assert.Contains("# HELP jobs_total Jobs done\n# TYPE jobs_total counter\njobs_total{app=\"a\",zone=\"b\"} 5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistogramWithAdvice_CumulativeBucketsInfSumAndCount()
    {
        using var meter = new Meter(nameof(Render_HistogramWithAdvice_CumulativeBucketsInfSumAndCount));
        using var exposition = new PrometheusExposition(meter);
        var histogram = meter.CreateHistogram(
            "wait_seconds", unit: null, description: "Waits", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        histogram.Record(0.05, new KeyValuePair<string, object?>("queue", "q"));
        histogram.Record(0.5, new KeyValuePair<string, object?>("queue", "q"));
        histogram.Record(7, new KeyValuePair<string, object?>("queue", "q"));

        var text = exposition.Render();

        Assert.Contains(
            "# TYPE wait_seconds histogram\n" +
            "wait_seconds_bucket{queue=\"q\",le=\"0.1\"} 1\n" +
            "wait_seconds_bucket{queue=\"q\",le=\"1\"} 2\n" +
            "wait_seconds_bucket{queue=\"q\",le=\"+Inf\"} 3\n" +
            "wait_seconds_sum{queue=\"q\"} 7.55\n" +
            "wait_seconds_count{queue=\"q\"} 3\n",
            text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistogramWithoutAdvice_UsesOpenTelemetryDefaultBuckets()
    {
        using var meter = new Meter(nameof(Render_HistogramWithoutAdvice_UsesOpenTelemetryDefaultBuckets));
        using var exposition = new PrometheusExposition(meter);
        meter.CreateHistogram<double>("size").Record(30);

        var text = exposition.Render();

        Assert.Contains("size_bucket{le=\"25\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("size_bucket{le=\"50\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("size_bucket{le=\"10000\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UpDownCounterAndObservableGauge_AreGaugesReadAtEachRender()
    {
        using var meter = new Meter(nameof(Render_UpDownCounterAndObservableGauge_AreGaugesReadAtEachRender));
        using var exposition = new PrometheusExposition(meter);
        var active = meter.CreateUpDownCounter<long>("active");
        var depth = 4L;
        meter.CreateObservableGauge("depth", () => depth);
        active.Add(3);
        active.Add(-1);

        var first = exposition.Render();
        depth = 9;
        var second = exposition.Render();

        Assert.Contains("# TYPE active gauge\nactive 2\n", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE depth gauge\ndepth 4\n", first, StringComparison.Ordinal);
        Assert.Contains("depth 9\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LabelValue_EscapesBackslashQuoteAndNewline()
    {
        using var meter = new Meter(nameof(Render_LabelValue_EscapesBackslashQuoteAndNewline));
        using var exposition = new PrometheusExposition(meter);
        meter.CreateCounter<long>("errors_total").Add(1, new KeyValuePair<string, object?>("reason", "a\\b\"c\nd"));

        Assert.Contains("errors_total{reason=\"a\\\\b\\\"c\\nd\"} 1\n", exposition.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OtherMeters_AreLeftOut()
    {
        using var meter = new Meter(nameof(Render_OtherMeters_AreLeftOut));
        using var other = new Meter(nameof(Render_OtherMeters_AreLeftOut) + ".other");
        using var exposition = new PrometheusExposition(meter);
        meter.CreateCounter<long>("mine_total").Add(1);
        other.CreateCounter<long>("theirs_total").Add(1);

        var text = exposition.Render();

        Assert.Contains("mine_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs_total", text, StringComparison.Ordinal);
    }
}
