using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Asya.Hosting;

/// <summary>The <c>host:port</c> listener addresses the sidecar and the scaler take (<c>:8080</c>, <c>[::1]:9090</c>).</summary>
public static class ListenAddress
{
    /// <summary>Splits <paramref name="text"/> at its last colon; an empty host means every interface.</summary>
    public static bool TryParse(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        return true;
    }

    /// <summary>Binds Kestrel to <paramref name="address"/>: empty, <c>*</c> or <c>0.0.0.0</c> host = every interface.</summary>
    public static void Listen(KestrelServerOptions kestrel, string address, Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (!TryParse(address, out var host, out var port))
        {
            throw new ConfigurationException($"'{address}' is not host:port (port 0..65535)");
        }

        configure ??= _ => { };
        if (host.Length == 0 || host == "*" || host == "0.0.0.0")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (host == "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (IPAddress.TryParse(host, out var ip))
        {
            kestrel.Listen(ip, port, configure);
        }
        else
        {
            throw new ConfigurationException($"'{address}': host '{host}' is not an IP address, localhost or empty");
        }
    }
}
