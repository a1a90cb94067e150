namespace Asya.Sidecar.Gateway;

/// <summary>
/// The gateway a task's envelope reports to: a mesh-port base URL (header <c>x-asya-gateway-url</c>, else the sidecar's
/// <c>--gateway-url</c>; <see cref="GatewayTargets"/> picks it) and the task id (the envelope id).
/// </summary>
internal sealed record GatewayTarget(string BaseUrl, string TaskId)
{
    public const string ApiPrefix = "/api/v1/mesh/";

    /// <summary>
    /// The SSRF guard: <paramref name="text"/> without its trailing slashes when it is an absolute <c>http</c> or
    /// <c>https</c> URL with a host, else null. A header comes from whoever wrote the envelope, so nothing else (no
    /// <c>file:</c>, no <c>unix:</c>, no relative or host-less URL) is ever called.
    /// </summary>
    public static string? BaseUrlOf(string? text) =>
        text is { Length: > 0 } && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? text.TrimEnd('/')
            : null;

    /// <summary><c>GET</c> here is the pre-flight read of the task.</summary>
    public Uri TaskUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId));

    /// <summary><c>POST</c> here takes one status or fly event.</summary>
    public Uri EventsUri => new(BaseUrl + ApiPrefix + Uri.EscapeDataString(TaskId) + "/events");
}
