using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Components.Observability;
using Asya.Hosting;
using Asya.Hosting.Health;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Crew;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Hosting;

internal static class SidecarServices
{
    /// <summary>
    /// Registers the engine for <paramref name="options"/> on <paramref name="components"/> (and their manifests'
    /// <see cref="AppComponents"/> and <see cref="LoadedComponents"/>, when any); hosted services start in this order and
    /// stop in reverse. The caller disposes the components after the host stopped.
    /// </summary>
    public static IServiceCollection AddSidecarEngine(this IServiceCollection services, SidecarOptions options, SidecarComponents components)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton(components);
        if (components.Owner is { } app)
        {
            services.AddSingleton(app);
            services.AddSingleton(app.Loaded);
        }

        services.AddSingleton<SidecarState>();
        services.AddSingleton<LoopHeartbeats>();
        services.AddSingleton(components.Transport);
        services.AddSingleton(sp => new SidecarMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options.Actor, components.TransportName));
        services.AddSingleton(sp => new PrometheusExposition(sp.GetRequiredService<SidecarMetrics>().Meter));
        services.AddSingleton(new Router(options.Actor, options.Sink, options.Sump));
        services.AddSingleton(sp => new ResiliencyDecider(components.Resiliency, Random.Shared));
        services.AddSingleton<EnvelopeSender>();

        // Gateway reports leave through one background sender, registered before the receive loop so it stops after it.
        services.AddSingleton(new GatewayClient(options.GatewayTimeout));
        services.AddSingleton<GatewayHealth>();
        services.AddSingleton<GatewayPreFlight>();
        services.AddSingleton<GatewayReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<GatewayReporter>());

        if (options.IsCrew)
        {
            var store = components.ResultStore
                ?? throw new ConfigurationException($"--builtin {options.Builtin} needs a state store (--result-store)");
            services.AddSingleton<IDeliveryHandler>(sp => options.Builtin switch
            {
                ActorNames.Pause => new PauseProcessor(
                    options, store, sp.GetRequiredService<EnvelopeSender>(), sp.GetRequiredService<SidecarMetrics>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PauseProcessor>>(), sp.GetRequiredService<GatewayReporter>()),
                ActorNames.Resume => new ResumeProcessor(
                    options, store, sp.GetRequiredService<Router>(), sp.GetRequiredService<EnvelopeSender>(), sp.GetRequiredService<SidecarMetrics>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResumeProcessor>>(), sp.GetRequiredService<GatewayReporter>()),
                _ => new CrewProcessor(
                    options, store, sp.GetRequiredService<EnvelopeSender>(), sp.GetRequiredService<SidecarMetrics>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CrewProcessor>>(), sp.GetRequiredService<GatewayReporter>()),
            });
        }
        else
        {
            services.AddSingleton<IRuntimeClient>(sp => new UnixSocketRuntimeClient(
                options.SocketPath, (options.Concurrency * ReceiveLoop.PipelineDepth) + 1, sp.GetRequiredService<ILogger<UnixSocketRuntimeClient>>(), options.Concurrency));
            if (options.IsLocalRuntime)
            {
                services.AddSingleton<RuntimeSupervisor>();
                services.AddHostedService(sp => sp.GetRequiredService<RuntimeSupervisor>());
            }

            services.AddSingleton<IRuntimeController>(sp => new RuntimeController(
                options,
                sp.GetRequiredService<IRuntimeClient>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RuntimeController>>(),
                sp.GetService<RuntimeSupervisor>()));
            services.AddSingleton<IDeliveryHandler>(sp => new MessageProcessor(
                options,
                sp.GetRequiredService<Router>(),
                sp.GetRequiredService<ResiliencyDecider>(),
                sp.GetRequiredService<EnvelopeSender>(),
                sp.GetRequiredService<IRuntimeClient>(),
                sp.GetRequiredService<IRuntimeController>(),
                sp.GetRequiredService<SidecarMetrics>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MessageProcessor>>(),
                sp.GetRequiredService<GatewayReporter>(),
                sp.GetRequiredService<GatewayPreFlight>()));
        }

        services.AddSingleton<MetricsServer>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsServer>());
        services.AddHostedService(sp => new ReceiveLoop(
            options,
            sp.GetRequiredService<ITransport>(),
            sp.GetRequiredService<IDeliveryHandler>(),
            sp.GetRequiredService<SidecarMetrics>(),
            sp.GetRequiredService<SidecarState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<LoopHeartbeats>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<ReceiveLoop>>(),
            sp.GetService<IRuntimeController>()));
        return services;
    }
}
