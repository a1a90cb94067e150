using System.Diagnostics;
using Asya.Testing;

namespace Asya.ExternalScaler.IntegrationTests;

/// <summary>
/// A Redis of our own (port 6391, state under /tmp/asya-svc-scaler), started and stopped through
/// <c>deploy/local/services</c>, so broker-down tests never touch the shared Redis other suites use.
/// </summary>
internal static class PrivateRedis
{
    public const int Port = 6391;

    public static string Host => $"127.0.0.1:{Port}";

    public static Task UpAsync() => RunAsync("up");

    public static Task DownAsync() => RunAsync("down");

    private static async Task RunAsync(string command)
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "local", "services");
        var info = new ProcessStartInfo("bash", [script, command, "redis"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASYA_SERVICES_DIR"] = "/tmp/asya-svc-scaler";
        info.Environment["ASYA_REDIS_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`services {command} redis` (port {Port}) exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
