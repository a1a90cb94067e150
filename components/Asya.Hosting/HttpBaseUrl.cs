namespace Asya.Hosting;

/// <summary>
/// The one check of a URL the mesh calls by configuration or by envelope header (the gateway's mesh URL): an absolute
/// <c>http</c> or <c>https</c> URL with a host. Nothing else is ever called, so a forged header cannot point a sidecar
/// at <c>file:</c>, <c>gopher:</c> or a host-less URL (SSRF guard).
/// </summary>
public static class HttpBaseUrl
{
    /// <summary><paramref name="text"/> without its trailing slashes when it passes the check, else null.</summary>
    public static string? Of(string? text) =>
        text is { Length: > 0 } && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? text.TrimEnd('/')
            : null;
}
