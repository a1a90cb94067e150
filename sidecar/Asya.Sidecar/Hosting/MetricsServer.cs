using Asya.Components.Observability;
using Asya.Hosting;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Hosting;

/// <summary>A small Kestrel app on <c>--metrics-addr</c>: /metrics (Prometheus text), /healthz (live), /readyz.</summary>
internal sealed class MetricsServer(
    SidecarOptions options,
    PrometheusExposition exposition,
    SidecarState state,
    ILogger<MetricsServer> logger,
    IRuntimeController? runtime = null) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public string? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MetricsAddress is not { } address)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => ListenAddress.Listen(kestrel, address));
        var app = builder.Build();
        app.MapAsyaProbes(exposition, () => state.Receiving && (runtime is null || runtime.IsReady));
        await app.StartAsync(cancellationToken);
        _app = app;
        BoundAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        logger.MetricsListening(BoundAddress ?? options.MetricsAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
