using System.Text.Json.Nodes;
using Asya.Hosting;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// Which gateway an envelope reports to: header <c>x-asya-gateway-url</c> when it passes the SSRF guard
/// (<see cref="HttpBaseUrl"/>), else the sidecar's default <c>--gateway-url</c> (<c>ASYA_GATEWAY_URL</c>,
/// stamped by the operator), else none: such an envelope runs exactly as without a gateway. None as well for an empty
/// id or header <c>x-asya-mesh-status: off</c> (stealth). A URL the guard refuses is ignored, never called: it is
/// counted (<c>asya_actor_gateway_url_ignored_total{source}</c>) and warned about at most every 10 s (the default's
/// once, at start).
/// </summary>
internal sealed class GatewayTargets
{
    /// <summary>A refused URL is logged at most this long, so a hostile header cannot flood the log.</summary>
    private const int LoggedUrlLength = 100;

    private readonly string? _default;
    private readonly SidecarMetrics _metrics;
    private readonly ILogger _logger;
    private readonly WarningThrottle _warnings;

    public GatewayTargets(string? defaultUrl, SidecarMetrics metrics, TimeProvider timeProvider, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
        _warnings = new WarningThrottle(timeProvider, TimeSpan.FromSeconds(10));
        if (defaultUrl is { Length: > 0 })
        {
            _default = HttpBaseUrl.Of(defaultUrl);
            if (_default is null)
            {
                // A bad default must not stop the mesh, which never needs a gateway: say it once and run without one.
                metrics.GatewayUrlIgnored("flag");
                logger.DefaultGatewayUrlIgnored(Shorten(defaultUrl));
            }
        }
    }

    /// <summary>The default gateway base URL, when one was given and passed the guard.</summary>
    public string? DefaultUrl => _default;

    public GatewayTarget? Of(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Id is not { Length: > 0 } id)
        {
            return null;
        }

        var headers = envelope.Headers;
        if (headers is not null && string.Equals(Text(headers[MeshHeaders.MeshStatus]), "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var url = _default;
        // A null or empty header is an absent one; any other value is the task's gateway, if the guard lets it be.
        if (headers?[MeshHeaders.GatewayUrl] is { } header && Text(header) is not { Length: 0 })
        {
            var text = Text(header);
            if (HttpBaseUrl.Of(text) is { } fromHeader)
            {
                url = fromHeader;
            }
            else
            {
                Ignored(text ?? header.ToJsonString());
            }
        }

        return url is null ? null : new GatewayTarget(url, id);
    }

    private void Ignored(string url)
    {
        _metrics.GatewayUrlIgnored("header");
        if (_warnings.Count(out var ignored))
        {
            _logger.HeaderGatewayUrlsIgnored(ignored, Shorten(url), _default ?? "none");
        }
    }

    private static string Shorten(string url) => url.Length <= LoggedUrlLength ? url : url[..LoggedUrlLength] + "…";

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
