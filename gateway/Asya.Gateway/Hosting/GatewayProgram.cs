using Asya.Components.Abstractions;
using Asya.Gateway.Configuration;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Asya.Hosting;
using Asya.Hosting.Flags;
using Asya.Hosting.Logging;
using Asya.Mesh.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Asya.Gateway.Hosting;

/// <summary>Entry point: parse flags and environment, connect the mesh and the store, serve until SIGTERM; configuration errors exit 2.</summary>
internal static class GatewayProgram
{
    public static string Help => GatewayOptionsParser.Flags.RenderHelp("""
        usage: asya-gateway [flags]

        The door to a mesh: clients submit tasks and follow them on the api port (/api/v1/mesh, SSE events, cancel,
        resume); sidecars report on the mesh port. Envelopes go out through the same transport components as the
        sidecars' (--resources-path; none: the embedded SQLite of --data-dir).
        """);

    public static Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment) => RunAsync(args, environment, Console.Error);

    /// <param name="args">Command-line flags.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="errors">Where the one-line reason of a failed start goes (stderr).</param>
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment, TextWriter errors)
    {
        if (FlagTable.AsksForHelp(args))
        {
            await Console.Out.WriteLineAsync(Help);
            return 0;
        }

        try
        {
            var options = GatewayOptionsParser.Parse(args, environment);
            using var loggers = LoggerFactory.Create(logging => ConsoleLogging.Configure(logging, options.LogLevel, options.LogFormat));
            await using var mesh = await MeshConnector.ConnectAsync(
                new MeshClientOptions
                {
                    Namespace = options.Namespace,
                    ResourcesPaths = options.ResourcesPaths,
                    DataDirectory = options.DataDirectory,
                    AllowEmbeddedDefault = options.AllowEmbeddedDefault,
                    ActorTransports = options.ActorTransports,
                    ConfigureLogging = logging => ConsoleLogging.Configure(logging, options.LogLevel, options.LogFormat),
                },
                transportName: null,
                CancellationToken.None);
            await using var tasks = await TaskBackend.OpenAsync(options, TimeProvider.System, loggers, CancellationToken.None);
            await using var host = GatewayHost.Build(options, tasks.Store, tasks.Hub, mesh, TimeProvider.System, services =>
            {
                if (environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 })
                {
                    services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(GatewayTracing.SourceName).AddOtlpExporter());
                }
            });
            try
            {
                await host.App.RunAsync();
            }
            catch (IOException ex) when (AddressInUse.Is(ex))
            {
                throw AddressInUse.Error(ex, [
                    (GatewayOptionsParser.Flags["api-addr"].Where, options.ApiAddress),
                    (GatewayOptionsParser.Flags["mesh-addr"].Where, options.MeshAddress),
                ]);
            }

            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException)
        {
            await errors.WriteLineAsync($"asya-gateway: {ex.Message}");
            return ConfigurationException.ExitCode;
        }
        catch (TaskStoreUnavailableException ex)
        {
            // Not a configuration error: the same flags work once the server is back (a restart policy retries).
            await errors.WriteLineAsync($"asya-gateway: {ex.Message}");
            return 1;
        }
    }
}
