using System.Diagnostics;
using Asya.Testing;

namespace Asya.Hosting.Tests;

/// <summary>
/// The five Asya processes, run as real children: each prints <c>--help</c> from its flag table and rejects the same
/// bad duration with the same words and exit code 2.
/// </summary>
public sealed class ProcessFlagsTests
{
    private static readonly string TextPipeline = Path.Combine(RepoPaths.Root, "examples", "text-pipeline");

    public static TheoryData<string, string[], string> BadDuration => new()
    {
        { "asya-sidecar.dll", ["--actor", "a", "--metrics-addr", "off", "--drain-timeout", "5x"], "asya-sidecar: --drain-timeout (or ASYA_DRAIN_TIMEOUT): " },
        { "asya-external-scaler.dll", ["--poll-interval", "5x"], "asya-external-scaler: --poll-interval (or ASYA_SCALER_POLL_INTERVAL): " },
        { "asya-operator.dll", ["--resync", "5x"], "asya-operator: --resync (or ASYA_RESYNC_PERIOD): " },
        { "asya.dll", ["run", TextPipeline, "--payload", "{}", "--timeout", "5x"], "asya: --timeout: " },
        { "asya-gateway.dll", ["--sse-keepalive", "5x"], "asya-gateway: --sse-keepalive (or ASYA_GATEWAY_SSE_KEEPALIVE): " },
    };

    public static TheoryData<string, string[], string> Help => new()
    {
        { "asya-sidecar.dll", ["--help"], "ASYA_DRAIN_TIMEOUT" },
        { "asya-external-scaler.dll", ["--help"], "ASYA_SCALER_POLL_INTERVAL" },
        { "asya-operator.dll", ["--help"], "ASYA_RESYNC_PERIOD" },
        { "asya.dll", ["run", "--help"], "--timeout" },
        { "asya-gateway.dll", ["--help"], "ASYA_GATEWAY_SSE_KEEPALIVE" },
    };

    [Theory]
    [MemberData(nameof(BadDuration))]
    public async Task BadDuration_SameMessage_Exit2(string dll, string[] args, string where)
    {
        var (code, _, stderr) = await RunAsync(dll, args);

        Assert.Equal(ConfigurationException.ExitCode, code);
        Assert.Equal(where + "'5x' is not a duration such as 30s, 5m or 1m30s", stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(Help))]
    public async Task Help_RendersTheFlagTable_Exit0(string dll, string[] args, string row)
    {
        var (code, stdout, _) = await RunAsync(dll, args);

        Assert.Equal(0, code);
        Assert.StartsWith("usage: ", stdout, StringComparison.Ordinal);
        Assert.Contains("\nflags (a flag wins over its variable):\n", stdout, StringComparison.Ordinal);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("  --", StringComparison.Ordinal) && l.Contains(row, StringComparison.Ordinal)
            && l.Contains("(default ", StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string dll, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only the flag under test may fail: no inherited ASYA_* variable, no cluster.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASYA_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{dll} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{dll} {string.Join(' ', args)} did not exit within 60s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
