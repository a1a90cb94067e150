using System.Net;
using System.Net.Sockets;

namespace Asya.Cli.Local;

/// <summary>
/// A loopback TCP port nobody listens on right now, picked at random below Linux's ephemeral range (32768+) so it
/// does not collide with ports the kernel hands out for outgoing connections.
/// </summary>
internal static class FreePort
{
    private const int Low = 20000;
    private const int High = 32000;

    public static int Next()
    {
        for (var i = 0; i < 50; i++)
        {
            var port = Random.Shared.Next(Low, High);
            if (IsFree(port))
            {
                return port;
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var fallback = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return fallback;
    }

    /// <summary>True when nothing listens on loopback <paramref name="port"/> now (it may be taken a moment later).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
