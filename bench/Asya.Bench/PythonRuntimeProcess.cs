using System.Diagnostics;
using System.Net.Sockets;
using Asya.Runtime.Protocol;

namespace Asya.Bench;

/// <summary>The Python runtime with a no-op handler, started as a child process on a fresh socket directory.</summary>
internal sealed class PythonRuntimeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PythonRuntimeProcess(Process process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public static async Task<PythonRuntimeProcess> StartAsync(BenchOptions options, BenchFolder folder)
    {
        var info = new ProcessStartInfo(options.Python, [options.PythonRuntime])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASYA_HANDLER"] = BenchFolder.Handler;
        info.Environment["ASYA_SOCKET_DIR"] = folder.SocketDirectory;
        info.Environment["PYTHONPATH"] = folder.HandlerDirectory;
        info.Environment["ASYA_LOG_LEVEL"] = "WARNING";
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();

        var ready = Path.Combine(folder.SocketDirectory, RuntimeProtocol.ReadyFileName);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(ready))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the Python runtime did not become ready within 30 s");
            }

            await Task.Delay(10);
        }

        return new PythonRuntimeProcess(process, Path.Combine(folder.SocketDirectory, RuntimeProtocol.SocketFileName));
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://runtime") };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
