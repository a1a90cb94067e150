using Asya.Components.Abstractions;

namespace Asya.ExternalScaler.Depth;

/// <summary>One polled depth and when it was taken (the poller's clock).</summary>
internal sealed record DepthSample(QueueDepth Depth, DateTimeOffset At);
