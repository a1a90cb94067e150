using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Asya.Testing.Processes;

/// <summary>
/// The real <c>asya-gateway</c> process (<c>dotnet asya-gateway.dll …</c>, built beside the test project) on two free
/// loopback ports, with its output kept so a test can wait for a log line, and a client of each listener.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputLines _output = new();

    private GatewayProcess(Process process, string apiUrl, string meshUrl)
    {
        _process = process;
        ApiUrl = apiUrl;
        MeshUrl = meshUrl;
        Api = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The built <c>asya-gateway.dll</c> (the test project must reference Asya.Gateway).</summary>
    public static string Dll => RepoPaths.Built("gateway/Asya.Gateway", "asya-gateway.dll", "Asya.Gateway");

    public int Id => _process.Id;

    public string ApiUrl { get; }

    /// <summary>The mesh listener, stamped into envelopes as <c>x-asya-gateway-url</c>.</summary>
    public string MeshUrl { get; }

    /// <summary>A client of the api port (tasks API).</summary>
    public HttpClient Api { get; }

    /// <summary>Everything the gateway wrote (stdout and stderr) so far.</summary>
    public string Output => _output.Text;

    /// <summary>
    /// Starts the gateway with <paramref name="args"/> plus <c>--api-addr</c> and <c>--mesh-addr</c> on free loopback
    /// ports, and waits until <c>/readyz</c> answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? ready = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (apiPort, meshPort) = (FreePort(), FreePort());
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args.Concat(["--api-addr", $"127.0.0.1:{apiPort}", "--mesh-addr", $"127.0.0.1:{meshPort}"]))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var gateway = new GatewayProcess(process, Url(apiPort), Url(meshPort));
        process.ErrorDataReceived += (_, e) => gateway._output.Append(e.Data);
        process.OutputDataReceived += (_, e) => gateway._output.Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"asya-gateway exited with {process.ExitCode}:\n{gateway._output.Tail()}");
                    }

                    try
                    {
                        using var response = await gateway.Api.GetAsync("/readyz");
                        return response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                ready ?? TimeSpan.FromSeconds(60),
                "asya-gateway /readyz");
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    /// <summary>Waits until an output line matches; fails with the last lines after <paramref name="deadline"/>.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> match, TimeSpan deadline, string what)
    {
        if (!await _output.WaitForAsync(match, deadline))
        {
            throw new TimeoutException($"no line of asya-gateway pid {Id} showed {what} within {deadline}; output:\n{_output.Tail()}");
        }
    }

    /// <summary>SIGTERM, then SIGKILL when it is not gone by <paramref name="deadline"/>; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan deadline)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(_process.HasExited), deadline, $"asya-gateway pid {Id} to exit");
        }
        catch (TimeoutException)
        {
            _process.Kill();
            throw new TimeoutException($"asya-gateway pid {Id} did not exit within {deadline} of SIGTERM; output:\n{_output.Tail()}");
        }

        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        Api.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    // Bound and released at once: another process could take it before the gateway binds, which on a test machine is
    // rare enough; a taken port shows as the gateway exiting with the bind error.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
