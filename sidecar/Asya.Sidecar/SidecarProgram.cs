using Asya.Runtime.Protocol;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Hosting;
using Asya.Hosting.Flags;
using Asya.Hosting.Logging;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Asya.Sidecar;

/// <summary>Entry point of the sidecar process; also run by <c>asya sidecar</c>.</summary>
public static class SidecarProgram
{
    /// <summary>Parses flags and ASYA_* env, runs the sidecar until cancelled or signalled, returns the exit code (2 = bad configuration).</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, ProcessEnvironment.Read(), ManifestComponents.CreateAsync, configure: null, cancellationToken);

    /// <summary>The <c>--help</c> text: usage and the flag table.</summary>
    public static string Help => SidecarOptionsParser.Flags.RenderHelp("""
        usage: asya-sidecar --actor <name> [flags]   (also: asya sidecar …)

        Receives envelopes from queue asya-<namespace>-<actor>, calls the runtime over its Unix socket and routes the
        results. Resiliency: ASYA_RESILIENCY_POLICIES (JSON object), ASYA_RESILIENCY_RULES (JSON array).
        """);

    internal static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        ComponentsFactory componentsFactory,
        Action<IServiceCollection>? configure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(componentsFactory);
        if (FlagTable.AsksForHelp(args))
        {
            await Console.Out.WriteLineAsync(Help);
            return 0;
        }

        SidecarOptions options;
        try
        {
            options = SidecarOptionsParser.Parse(args, environment);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return ConfigurationException.ExitCode;
        }

        ProtocolJson.Configure(options.MaxJsonDepth);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, options);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(15);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        if (environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 })
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(SidecarTracing.SourceName).AddOtlpExporter());
        }

        // Components are created (asynchronously, connecting to the broker) before the host is built, so the host's
        // services take them as they are instead of reading a holder filled later.
        await using var componentServices = ComponentServices(options, environment);
        SidecarComponents components;
        try
        {
            components = await componentsFactory(options, componentServices, cancellationToken);
        }
        catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return ConfigurationException.ExitCode;
        }

        builder.Services.AddSidecarEngine(options, components);
        configure?.Invoke(builder.Services);
        using var host = builder.Build();
        var state = host.Services.GetRequiredService<SidecarState>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Asya.Sidecar");
        logger.Starting(options.Actor, options.OwnQueue, components.TransportName);
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is ConfigurationException or IOException or FormatException)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return ConfigurationException.ExitCode;
        }
        finally
        {
            await components.DisposeAsync();
        }

        return state.ExitCode;
    }

    /// <summary>What the component factories and the loader take: logging as the host's, the clock, every component type.</summary>
    private static ServiceProvider ComponentServices(SidecarOptions options, IReadOnlyDictionary<string, string> environment) =>
        new ServiceCollection()
            .AddLogging(logging => ConfigureLogging(logging, options))
            .AddSingleton(TimeProvider.System)
            .AddBuiltInComponents()
            .AddSingleton(new ComponentLoaderOptions
            {
                AppId = options.Actor,
                Namespace = options.Namespace,
                PodName = ComponentLoaderOptions.PodNameFrom(environment.GetValueOrDefault),
            })
            .BuildServiceProvider();

    private static void ConfigureLogging(ILoggingBuilder logging, SidecarOptions options) =>
        ConsoleLogging.Configure(logging, options.LogLevel, options.LogFormat);
}
