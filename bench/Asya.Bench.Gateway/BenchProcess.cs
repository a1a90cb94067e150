using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Asya.Bench.Gateway;

/// <summary>A child process (<c>dotnet &lt;dll&gt; …</c>) with a probe port, ready once its <c>/readyz</c> answers 200; killed on dispose.</summary>
internal sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private BenchProcess(Process process) => _process = process;

    public static BenchProcess Start(string dll, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not built: build the bench (it builds the sidecar and the gateway)", dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var started = new BenchProcess(process);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return started;
    }

    /// <summary>Waits for <c>/readyz</c> on <paramref name="url"/> (a dead process fails at once with its output).</summary>
    public async Task WaitReadyAsync(HttpClient client, string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.ArgumentList[0]} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync($"{url}/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{_process.StartInfo.ArgumentList[0]} not ready within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Only the recent lines explain a failure.
            if (_output.Length > 100_000)
            {
                _output.Remove(0, _output.Length / 2);
            }

            _output.AppendLine(line);
        }
    }
}
