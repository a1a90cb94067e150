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

    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string> environment)
    {
        if (FlagTable.AsksForHelp(args))
        {
            await Console.Out.WriteLineAsync(Help);
            return 0;
        }

        try
        {
            var options = ScalerOptionsParser.Parse(args, environment);
            await using var app = ScalerHost.Build(options);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or ComponentConfigurationException)
        {
            await Console.Error.WriteLineAsync($"asya-external-scaler: {ex.Message}");
            return ConfigurationException.ExitCode;
        }
    }
}
