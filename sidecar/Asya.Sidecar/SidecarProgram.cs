using Asya.Runtime.Protocol;
using System.Collections;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Trace;

namespace Asya.Sidecar;

/// <summary>Entry point of the sidecar process; also run by <c>asya sidecar</c>.</summary>
public static class SidecarProgram
{
    /// <summary>Parses flags and ASYA_* env, runs the sidecar until cancelled or signalled, returns the exit code (2 = bad configuration).</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        RunAsync(args, ReadEnvironment(), ManifestComponents.CreateAsync, configure: null, cancellationToken);

    internal static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        ComponentsFactory componentsFactory,
        Action<IServiceCollection>? configure,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(componentsFactory);
        SidecarOptions options;
        try
        {
            options = SidecarOptionsParser.Parse(args, environment);
        }
        catch (SidecarConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return 2;
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

        builder.Services.AddSidecarEngine(options);
        builder.Services.AddBuiltInComponents();
        builder.Services.AddSingleton(new ComponentLoaderOptions
        {
            AppId = options.Actor,
            Namespace = options.Namespace,
            PodName = ComponentLoaderOptions.PodNameFrom(environment.GetValueOrDefault),
        });
        configure?.Invoke(builder.Services);

        using var host = builder.Build();
        SidecarComponents components;
        try
        {
            components = await componentsFactory(options, host.Services, cancellationToken);
        }
        catch (Exception ex) when (ex is SidecarConfigurationException or ComponentConfigurationException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return 2;
        }

        host.Services.GetRequiredService<ComponentsHolder>().Components = components;
        var state = host.Services.GetRequiredService<SidecarState>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Asya.Sidecar");
        logger.Starting(options.Actor, options.OwnQueue, components.TransportName);
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SidecarConfigurationException or IOException or FormatException)
        {
            await Console.Error.WriteLineAsync($"asya-sidecar: {ex.Message}");
            return 2;
        }
        finally
        {
            await components.DisposeAsync();
        }

        return state.ExitCode;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, SidecarOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.LogLevel switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => LogLevel.Information,
        });
        logging.AddFilter("Microsoft", LogLevel.Warning);
        if (options.LogFormat == "json")
        {
            logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName);
            logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }

    private static Dictionary<string, string> ReadEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                env[key] = value;
            }
        }

        return env;
    }
}
