using Asya.Components.Observability;
using Asya.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Hosting;

/// <summary>
/// A small Kestrel app on one address serving only <see cref="ProbeEndpoints"/>, for processes whose own work is not
/// HTTP (the sidecar, the operator).
/// </summary>
public sealed class ProbeServer(string address, PrometheusExposition exposition, Func<bool> ready, Func<IEnumerable<LoopHeartbeat>> loops)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address Kestrel bound (the real port when <c>:0</c> was asked), once started.</summary>
    public string? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => ListenAddress.Listen(kestrel, address));
        var app = builder.Build();
        app.MapAsyaProbes(exposition, ready, loops);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        BoundAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? address;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
