using System.Net;
using Asya.Components.Observability;
using Asya.Gateway.Api;
using Asya.Gateway.Auth;
using Asya.Gateway.Configuration;
using Asya.Gateway.Flows;
using Asya.Gateway.Observability;
using Asya.Gateway.Service;
using Asya.Gateway.Tasks;
using Asya.Hosting;
using Asya.Hosting.Health;
using Asya.Hosting.Logging;
using Asya.Mesh.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Hosting;

/// <summary>
/// The gateway's web app: one Kestrel with two listeners (api, mesh), each connection tagged with its listener so an
/// endpoint answers on its own port only (<see cref="ListenerMatcherPolicy"/>); the probes answer on both. The task
/// store, event hub and mesh client are opened before (they connect) and handed in; the app does not dispose them.
/// </summary>
internal sealed class GatewayHost(WebApplication app, ListenOptions api, ListenOptions mesh) : IAsyncDisposable
{
    public WebApplication App => app;

    public IServiceProvider Services => app.Services;

    /// <summary>The bound api address, <c>http://host:port</c> (a port 0 resolved), once started.</summary>
    public string ApiUrl => Url(api.IPEndPoint);

    /// <summary>The bound mesh address, once started.</summary>
    public string MeshUrl => Url(mesh.IPEndPoint);

    public static GatewayHost Build(
        GatewayOptions options, ITaskStore store, ITaskEventHub hub, IMeshClient meshClient, TimeProvider time, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        ConsoleLogging.Configure(builder.Logging, options.LogLevel, options.LogFormat);
        ListenOptions? api = null;
        ListenOptions? mesh = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // SSE streams are long and mostly idle; Kestrel's minimum data rates would cut a slow reader.
            kestrel.Limits.MinResponseDataRate = null;
            ListenAddress.Listen(kestrel, options.ApiAddress, listen =>
            {
                listen.Use(Listeners.Tag(Listener.Api));
                api = listen;
            });
            ListenAddress.Listen(kestrel, options.MeshAddress, listen =>
            {
                listen.Use(Listeners.Tag(Listener.Mesh));
                mesh = listen;
            });
        });

        var services = builder.Services;
        services.TryAddSingleton(time);
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(hub);
        services.AddSingleton(meshClient);
        services.AddSingleton(new GatewayAddresses { MeshUrl = options.MeshUrl ?? "" });
        services.AddSingleton(new LoopHeartbeats(time));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(sp => new PrometheusExposition(sp.GetRequiredService<GatewayMetrics>().Meter));
        services.AddSingleton<TaskService>();
        services.AddSingleton<TaskEventStream>();
        services.AddSingleton<FlowRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<FlowRegistry>());
        services.AddSingleton<DeadlineBackstop>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineBackstop>());
        services.AddSingleton<HeldReports>();
        services.AddHostedService(sp => sp.GetRequiredService<HeldReports>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        configure?.Invoke(services);

        var app = builder.Build();
        // Built now, so a bad flows file stops the start (exit 2) instead of the first request.
        app.Services.GetRequiredService<FlowRegistry>();
        if (options.ApiKey is { } key)
        {
            app.UseMiddleware<ApiKeyMiddleware>(key);
        }

        app.MapAsyaProbes(app.Services.GetRequiredService<PrometheusExposition>(), () => true, () => app.Services.GetRequiredService<LoopHeartbeats>());
        app.MapTasksApi();
        app.MapMeshPort();
        var host = new GatewayHost(app, api!, mesh!);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<GatewayAddresses>();
            addresses.ApiUrl = host.ApiUrl;
            if (addresses.MeshUrl.Length == 0)
            {
                addresses.MeshUrl = host.MeshUrl;
            }

            app.Logger.Listening(host.ApiUrl, host.MeshUrl, addresses.MeshUrl);
        });
        return host;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    // An any-address listener is reached on loopback from this machine; sidecars elsewhere need --mesh-url.
    private static string Url(IPEndPoint? endpoint) => endpoint is null
        ? ""
        : $"http://{(endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString())}:{endpoint.Port}";
}
