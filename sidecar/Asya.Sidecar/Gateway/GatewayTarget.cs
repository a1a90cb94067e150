using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// The gateway a task's envelope reports to: the mesh-port base URL of header <c>x-asya-gateway-url</c> and the task id
/// (the envelope id). None when the header is absent or not an http(s) URL, the id is empty, or header
/// <c>x-asya-mesh-status</c> is <c>off</c> (stealth): such an envelope runs exactly as without a gateway.
/// </summary>
internal sealed record GatewayTarget(string BaseUrl, string TaskId)
{
    public const string ApiPrefix = "/api/v1/mesh/";

    public static GatewayTarget? Of(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var headers = envelope.Headers;
        if (headers is null || envelope.Id is not { Length: > 0 } id
            || Text(headers[MeshHeaders.GatewayUrl]) is not { Length: > 0 } url
            || string.Equals(Text(headers[MeshHeaders.MeshStatus]), "off", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return new GatewayTarget(url.TrimEnd('/'), id);
    }

    /// <summary><c>GET</c> here is the pre-flight read of the task.</summary>
    public Uri TaskUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId));

    /// <summary><c>POST</c> here takes one status or fly event.</summary>
    public Uri EventsUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId) + "/events");

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
