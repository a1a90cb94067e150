using System.Text.RegularExpressions;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>
/// <c>asya up &lt;folder&gt;</c> as a child process with its gateway on a free loopback port (the default 8080 may be taken
/// on a shared machine), ready once up printed the gateway's address; disposing sends SIGTERM and waits for the exit.
/// </summary>
internal sealed partial class UpWithGateway : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private UpWithGateway(AsyaProcess process, string apiUrl)
    {
        Process = process;
        ApiUrl = apiUrl;
    }

    public AsyaProcess Process { get; }

    /// <summary>The api address up printed (<c>http://127.0.0.1:port</c>).</summary>
    public string ApiUrl { get; }

    public static async Task<UpWithGateway> StartAsync(string folder)
    {
        var process = AsyaProcess.Start(null, "up", folder, "--gateway-addr", "127.0.0.1:0");
        try
        {
            await process.WaitForStderrAsync(l => GatewayLine().IsMatch(l), Deadline);
            var url = process.Stderr.Split('\n').Select(l => GatewayLine().Match(l)).First(m => m.Success).Groups["url"].Value;
            return new UpWithGateway(process, url);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited && Asya.Cli.Local.NativeSignals.Terminate(Process.Id))
        {
            await Process.WaitForExitAsync(Deadline);
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"^asya: gateway (?<url>http://127\.0\.0\.1:\d+) ")]
    private static partial Regex GatewayLine();
}
