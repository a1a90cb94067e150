using Asya.Components.Abstractions;
using Asya.ExternalScaler.Depth;

namespace Asya.ExternalScaler.Metadata;

/// <summary>One trigger's validated metadata, resolved to the poller of its transport component.</summary>
internal sealed record ScalerMetadata(
    string Actor,
    string Namespace,
    DepthPoller Poller,
    string Queue,
    string MetricName,
    double TargetQueueLength,
    double ActivationQueueLength,
    bool CountInFlight)
{
    /// <summary>
    /// Ready + in-flight (when counted). Transports count a delayed message whose time has come as ready, so
    /// due-delayed work is in <see cref="QueueDepth.Ready"/>; <see cref="QueueDepth.Delayed"/> is not yet due and is
    /// left out, or a retry backoff would keep replicas up while nothing can run.
    /// </summary>
    public long MetricValue(QueueDepth depth) => depth.Ready + (CountInFlight ? depth.InFlight : 0);

    /// <summary>Active while more than the activation threshold waits, or anything is being worked on.</summary>
    public bool IsActive(QueueDepth depth) => depth.Ready > ActivationQueueLength || depth.InFlight > 0;
}
