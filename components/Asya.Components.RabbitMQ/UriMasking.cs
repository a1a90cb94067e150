namespace Asya.Components.RabbitMQ;

/// <summary>Hides the password of <c>scheme://user:password@host</c> addresses before they reach a message.</summary>
internal static class UriMasking
{
    public static string Mask(string text)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return text;
        }

        var start = scheme + 3;
        var end = text.IndexOfAny(['/', '?', '#'], start);
        var authority = end < 0 ? text[start..] : text[start..end];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return text;
        }

        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon > at)
        {
            return text;
        }

        return string.Concat(text.AsSpan(0, start + colon + 1), "***", text.AsSpan(start + at));
    }

    public static string Scrub(string message, string? secret) =>
        string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "***", StringComparison.Ordinal);
}
