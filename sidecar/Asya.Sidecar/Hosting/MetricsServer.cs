using Asya.Components.Observability;
using Asya.Hosting;
using Asya.Hosting.Health;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Hosting;

/// <summary>
/// The probe server on <c>--metrics-addr</c>: /metrics (Prometheus text), /healthz (live), /readyz (receiving, runtime
/// ready, and no background loop stuck).
/// </summary>
internal sealed class MetricsServer(
    SidecarOptions options,
    PrometheusExposition exposition,
    SidecarState state,
    LoopHeartbeats loops,
    ILogger<MetricsServer> logger,
    IRuntimeController? runtime = null) : IHostedService, IAsyncDisposable
{
    private ProbeServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MetricsAddress is not { } address)
        {
            return;
        }

        var server = new ProbeServer(address, exposition, () => state.Receiving && (runtime is null || runtime.IsReady), () => loops);
        _server = server;
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (AddressInUse.Is(ex))
        {
            // asya up starts the sidecar again on another port when it sees this event (not this wording).
            logger.MetricsAddressInUse(address);
            throw;
        }

        logger.MetricsListening(server.BoundAddress ?? address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
