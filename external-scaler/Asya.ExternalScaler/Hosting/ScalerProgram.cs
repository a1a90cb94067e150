using System.Collections;
using Asya.Components.Abstractions;
using Asya.ExternalScaler.Configuration;

namespace Asya.ExternalScaler.Hosting;

/// <summary>Entry point: parse flags and environment, run until SIGTERM; configuration errors exit 2 with the reason.</summary>
internal static class ScalerProgram
{
    public static async Task<int> RunAsync(string[] args, IDictionary environment)
    {
        try
        {
            var options = ScalerOptionsParser.Parse(args, environment);
            await using var app = ScalerHost.Build(options);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is ScalerConfigurationException or ComponentConfigurationException)
        {
            await Console.Error.WriteLineAsync($"asya-external-scaler: {ex.Message}");
            return 2;
        }
    }
}
