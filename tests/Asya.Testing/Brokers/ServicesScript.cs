using System.Diagnostics;

namespace Asya.Testing.Brokers;

/// <summary>Runs <c>deploy/local/services COMMAND SERVICE</c>, optionally with variables that move its state folder and ports.</summary>
public static class ServicesScript
{
    public static async Task RunAsync(
        string command, string service, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(RepoPaths.Root, "deploy", "local", "services");
        var info = new ProcessStartInfo("bash", [script, command, service])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {script}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var where = environment is { Count: > 0 } ? " with " + string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}")) : "";
            throw new InvalidOperationException($"`services {command} {service}`{where} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
