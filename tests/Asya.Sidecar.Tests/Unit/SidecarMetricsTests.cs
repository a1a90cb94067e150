using System.Diagnostics.Metrics;
using Asya.Components.Observability;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The sidecar's series as Prometheus scrapes them: upstream's names, labels and buckets.</summary>
public sealed class SidecarMetricsTests
{
    [Fact]
    public void Instruments_AfterActivity_RenderUpstreamNamesLabelsAndBuckets()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SidecarMetrics(services.GetRequiredService<IMeterFactory>(), "echo", "sqlite");
        using var exposition = new PrometheusExposition(metrics.Meter);
        metrics.Received(150);
        metrics.Count(DeliveryOutcome.Succeeded);
        metrics.ProcessingDuration(TimeSpan.FromMilliseconds(30));
        metrics.Sent("asya-default-x-sink", "sink", 200, TimeSpan.FromMilliseconds(2));
        metrics.Count(DeliveryOutcome.ParseError);
        metrics.ActiveChanged(1);

        var text = exposition.Render();
        Assert.Contains("asya_actor_messages_received_total{queue=\"echo\",transport=\"sqlite\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_messages_processed_total{queue=\"echo\",status=\"success\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_messages_sent_total{destination_queue=\"asya-default-x-sink\",message_type=\"sink\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_messages_failed_total{queue=\"echo\",reason=\"parse_error\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE asya_actor_active_messages gauge", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_processing_duration_seconds_bucket{queue=\"echo\",le=\"0.025\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_processing_duration_seconds_bucket{queue=\"echo\",le=\"0.05\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_processing_duration_seconds_bucket{queue=\"echo\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("asya_actor_envelope_size_bytes_bucket{direction=\"received\",le=\"1000\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE asya_actor_queue_send_duration_seconds histogram", text, StringComparison.Ordinal);
    }
}
