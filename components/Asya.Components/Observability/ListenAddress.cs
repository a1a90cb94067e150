using System.Globalization;

namespace Asya.Components.Observability;

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
}
