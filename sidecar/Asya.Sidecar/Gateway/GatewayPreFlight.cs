using System.Collections.Concurrent;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// The check before a handler runs: what the task's gateway says its status is (<c>GET {url}/api/v1/mesh/{id}</c>),
/// reused for <c>PreFlightCacheTtl</c> per task. Fails open: an error, a timeout, a 404 or a gateway known to be down
/// gives null (go ahead). While a gateway is down the read is not made on the envelope's path; one read at the end of
/// each backoff runs in the background and brings it back up when it answers.
/// </summary>
internal sealed class GatewayPreFlight(SidecarOptions options, GatewayClient client, GatewayHealth health, SidecarMetrics metrics, TimeProvider timeProvider)
{
    /// <summary>Cached answers; cleared when it grows past this, so it stays bounded.</summary>
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<GatewayTarget, (string? Status, DateTimeOffset Until)> _cache = new();

    public async ValueTask<string?> StatusAsync(GatewayTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(target, out var cached) && now < cached.Until)
        {
            metrics.GatewayPreFlight("cached");
            return cached.Status;
        }

        if (health.IsDown(target.BaseUrl))
        {
            if (health.MayCall(target.BaseUrl))
            {
                _ = Task.Run(() => ReadAsync(target, CancellationToken.None), CancellationToken.None);
            }

            metrics.GatewayPreFlight("skipped");
            return null;
        }

        return await ReadAsync(target, cancellationToken);
    }

    private async Task<string?> ReadAsync(GatewayTarget target, CancellationToken cancellationToken)
    {
        var (result, status) = await client.GetStatusAsync(target, cancellationToken);
        if (result == GatewayCallResult.Unreachable)
        {
            health.MarkDown(target.BaseUrl);
            metrics.GatewayPreFlight("failed_open");
            return null;
        }

        health.MarkUp(target.BaseUrl);
        metrics.GatewayPreFlight(result == GatewayCallResult.Ok ? "answered" : "failed_open");
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[target] = (status, timeProvider.GetUtcNow() + options.PreFlightCacheTtl);
        return status;
    }
}
