using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;
using Asya.Hosting;
using Asya.Hosting.Flags;

namespace Asya.ExternalScaler.Hosting;

/// <summary>Entry point: parse flags and environment, run until SIGTERM; configuration errors exit 2 with the reason.</summary>
internal static class ScalerProgram
{
    public static string Help => ScalerOptionsParser.Flags.RenderHelp("""
        usage: asya-external-scaler [flags]

        KEDA external scaler: reports each actor's queue depth (gRPC externalscaler.ExternalScaler, push included).
        """);

    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment, TextWriter? errors = null)
    {
        errors ??= Console.Error;
        if (FlagTable.AsksForHelp(args))
        {
            await Console.Out.WriteLineAsync(Help);
            return 0;
        }

        try
        {
            var options = ScalerOptionsParser.Parse(args, environment);
            await using var app = ScalerHost.Build(options);
            try
            {
                await app.RunAsync();
            }
            catch (IOException ex) when (AddressInUse.Is(ex))
            {
                throw AddressInUse.Error(ex, [
                    (ScalerOptionsParser.Flags["grpc-addr"].Where, options.GrpcAddress),
                    .. options.MetricsAddress is { } metrics ? [(ScalerOptionsParser.Flags["metrics-addr"].Where, metrics)] : Array.Empty<(string, string)>(),
                ]);
            }

            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException)
        {
            await errors.WriteLineAsync($"asya-external-scaler: {ex.Message}");
            return ConfigurationException.ExitCode;
        }
    }
}
