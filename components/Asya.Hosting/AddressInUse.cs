using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace Asya.Hosting;

/// <summary>
/// Kestrel's failure to bind a port another process holds (an <see cref="IOException"/> around
/// <see cref="AddressInUseException"/>), turned into the one-line configuration error every Asya process prints and
/// exits 2 on, naming the flag and address of the listener, instead of an unhandled exception with a stack trace.
/// </summary>
public static class AddressInUse
{
    /// <summary>True when <paramref name="exception"/> is Kestrel's "address already in use".</summary>
    public static bool Is(Exception exception) => exception is IOException { InnerException: AddressInUseException };

    /// <summary>The error naming the listener that could not bind, or every listener when the failure does not say which.</summary>
    /// <param name="exception">Kestrel's bind failure.</param>
    /// <param name="listeners">Each listener: where it is configured (a flag's <c>Where</c>) and its <c>host:port</c>.</param>
    public static ConfigurationException Error(IOException exception, IReadOnlyList<(string Where, string Address)> listeners)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(listeners);

        // Kestrel's message names the endpoint it tried ("Failed to bind to address http://127.0.0.1:8080: ..."); a port 0
        // listener never collides.
        var taken = listeners.Where(l => ListenAddress.TryParse(l.Address, out _, out var port) && port != 0
            && Regex.IsMatch(exception.Message, ":" + port.ToString(CultureInfo.InvariantCulture) + @"(?!\d)")).ToList();
        var named = taken.Count == 1 ? taken : listeners;
        return new ConfigurationException(
            $"{string.Join(" or ", named.Select(l => $"{l.Where}: {l.Address}"))}: address already in use; give a free host:port",
            exception);
    }
}
