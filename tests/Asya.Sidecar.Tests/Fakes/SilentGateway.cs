using System.Net;
using System.Net.Sockets;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>A gateway that accepts connections and never answers (a hung process); it counts connections.</summary>
internal sealed class SilentGateway : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentGateway()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Connections accepted so far.</summary>
    public Asya.Testing.CountSignal Connected { get; } = new();

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>A loopback URL nothing listens on (connection refused).</summary>
    public static string Closed()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"http://127.0.0.1:{port}";
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                Connected.Increment();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
