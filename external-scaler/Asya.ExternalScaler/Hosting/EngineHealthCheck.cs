using Asya.ExternalScaler.Depth;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Asya.ExternalScaler.Hosting;

/// <summary>
/// Serving once the depth engine has started: manifests loaded and pollers running. Broker reachability is left out on
/// purpose, so an outage reaches KEDA as <c>Unavailable</c> (fallback engages) rather than as a scaler with no endpoints.
/// </summary>
internal sealed class EngineHealthCheck(DepthEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.Ready ? HealthCheckResult.Healthy("depth engine running") : HealthCheckResult.Unhealthy("depth engine not started"));
}
