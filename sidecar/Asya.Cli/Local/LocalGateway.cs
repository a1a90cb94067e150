using System.Globalization;
using Asya.Hosting;

namespace Asya.Cli.Local;

/// <summary>
/// The gateway <c>asya up</c> runs beside the sidecars (<c>asya gateway</c>, supervised like them): its api listener,
/// reached by clients at <see cref="ApiUrl"/>; its mesh port is a free loopback port the planner picks.
/// </summary>
/// <param name="Host">Host of the api listener: a loopback address, or empty/<c>0.0.0.0</c> for every interface.</param>
/// <param name="Port">Port of the api listener.</param>
internal sealed record LocalGateway(string Host, int Port)
{
    /// <summary>Where <c>asya up</c> serves the tasks API unless <c>--gateway-addr</c> says otherwise.</summary>
    public const string DefaultUpAddress = "127.0.0.1:8080";

    /// <summary>
    /// <c>asya run</c>'s gateway is its own: a free port, so a run never collides with an <c>asya up</c> on 8080.
    /// </summary>
    public const string DefaultRunAddress = "127.0.0.1:0";

    /// <summary>
    /// Serve the folder's flows (<c>asya up</c>). <c>asya run</c>'s gateway serves none, so it takes any route the folder
    /// runs; it is there for the FLY stream.
    /// </summary>
    public bool ServesFlows { get; init; } = true;

    /// <summary>The <c>--api-addr</c> the gateway binds.</summary>
    public string ListenAddress => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The address clients use (an every-interface listener is reached on loopback from this machine).</summary>
    public string ApiUrl => $"http://{(Host is "" or "0.0.0.0" or "*" ? "127.0.0.1" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Parses <c>--gateway-addr host:port</c>; port 0 takes a free one now. Only loopback or every-interface hosts: the
    /// supervisor probes the gateway's <c>/readyz</c> on loopback, as it does the sidecars'.
    /// </summary>
    public static LocalGateway Parse(string text, Func<int> freePort)
    {
        ArgumentNullException.ThrowIfNull(freePort);
        if (!Asya.Hosting.ListenAddress.TryParse(text, out var host, out var port)
            || host is not ("" or "0.0.0.0" or "*" or "127.0.0.1" or "localhost"))
        {
            throw new ConfigurationException(
                $"--gateway-addr: '{text}' must be host:port with host 127.0.0.1, localhost, 0.0.0.0 or empty (port 0: a free one)");
        }

        return new LocalGateway(host == "localhost" ? "127.0.0.1" : host, port == 0 ? freePort() : port);
    }
}
