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
/// The <see cref="ProbeEndpoints"/> on a Kestrel listener of their own, for a process whose host is not a web app (the
/// sidecar, the operator): started and stopped with that host; <c>/readyz</c> also reads the process's loop heartbeats.
/// No address (<c>off</c>): nothing is served.
/// </summary>
public sealed class ProbeServer(string? address, PrometheusExposition exposition, Func<bool> ready, Func<IEnumerable<LoopHeartbeat>> loops)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address actually bound (a port 0 resolved), once started.</summary>
    public string? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (address is null)
        {
            return;
        }

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
            _app = null;
        }
    }
}
