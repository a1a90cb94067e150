using System.Text;
using Asya.Components.Abstractions;

namespace Asya.Components.PostgreSql;

/// <summary>
/// Splits the two forms of connection string Dapr's driver (pgx) takes into libpq parameters: key=value pairs
/// (<c>host=db user=app password='a b' sslmode=require</c>; values may be single-quoted, <c>\</c> escapes) and URLs
/// (<c>postgres://user:password@host:5432/db?sslmode=require</c>, several hosts separated by commas). Errors name the
/// metadata key and the parameter, never the password.
/// </summary>
internal static class ConnectionStringParser
{
    public static List<ConnectionParameter> Parse(ComponentSpec spec, string key, string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseUrl(spec, key, trimmed);
        }

        if (trimmed.Contains(';', StringComparison.Ordinal) && !trimmed.Contains('\'', StringComparison.Ordinal))
        {
            throw Error(spec, key, "looks like an ADO.NET connection string (';' between settings); "
                + "write key=value pairs separated by spaces (host=… user=… password=… dbname=…) or a postgres:// URL");
        }

        if (!trimmed.Contains('=', StringComparison.Ordinal))
        {
            throw Error(spec, key, "is neither key=value pairs (host=… user=… password=… dbname=…) nor a postgres:// URL");
        }

        return ParsePairs(spec, key, trimmed);
    }

    internal static ComponentConfigurationException Error(ComponentSpec spec, string key, string problem) =>
        new($"{spec.Describe()}: metadata '{key}': {problem}");

    private static List<ConnectionParameter> ParsePairs(ComponentSpec spec, string key, string text)
    {
        var parameters = new List<ConnectionParameter>();
        var i = 0;
        while (true)
        {
            SkipSpace(text, ref i);
            if (i == text.Length)
            {
                return parameters;
            }

            var start = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var name = text[start..i];
            SkipSpace(text, ref i);
            if (name.Length == 0)
            {
                throw Error(spec, key, $"a value without a parameter name at position {start + 1}");
            }

            if (i == text.Length || text[i] != '=')
            {
                throw Error(spec, key, $"parameter '{name}' has no value (expected {name}=…)");
            }

            i++;
            SkipSpace(text, ref i);
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i == text.Length)
                    {
                        throw Error(spec, key, $"the quoted value of '{name}' has no closing quote");
                    }

                    var c = text[i++];
                    if (c == '\'')
                    {
                        break;
                    }

                    if (c == '\\' && i < text.Length)
                    {
                        c = text[i++];
                    }

                    value.Append(c);
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    var c = text[i++];
                    if (c == '\\' && i < text.Length)
                    {
                        c = text[i++];
                    }

                    value.Append(c);
                }
            }

            parameters.Add(new ConnectionParameter(name, value.ToString(), key));
        }
    }

    private static List<ConnectionParameter> ParseUrl(ComponentSpec spec, string key, string url)
    {
        var parameters = new List<ConnectionParameter>();
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? "" : rest[authorityEnd..];

        // The last '@' ends the user part, as Go's url.Parse reads it; a password holding '@' should be percent-encoded.
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var user = authority[..at];
            var colon = user.IndexOf(':', StringComparison.Ordinal);
            parameters.Add(new ConnectionParameter("user", Decode(colon < 0 ? user : user[..colon]), key));
            if (colon >= 0)
            {
                parameters.Add(new ConnectionParameter("password", Decode(user[(colon + 1)..]), key));
            }

            authority = authority[(at + 1)..];
        }

        if (authority.Length > 0)
        {
            var hosts = new List<string>();
            var ports = new List<string>();
            foreach (var part in authority.Split(','))
            {
                var (host, port) = SplitHostPort(spec, key, part);
                hosts.Add(host);
                ports.Add(port);
            }

            parameters.Add(new ConnectionParameter("host", string.Join(',', hosts), key));
            if (ports.Any(p => p.Length > 0))
            {
                parameters.Add(new ConnectionParameter("port", string.Join(',', ports), key));
            }
        }

        var query = tail.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? tail : tail[..query];
        if (path.Length > 1)
        {
            parameters.Add(new ConnectionParameter("dbname", Decode(path[1..]), key));
        }

        if (query >= 0)
        {
            foreach (var pair in tail[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw Error(spec, key, $"URL query parameter '{DecodeQuery(eq < 0 ? pair : pair[..eq])}' has no name=value form");
                }

                parameters.Add(new ConnectionParameter(DecodeQuery(pair[..eq]), DecodeQuery(pair[(eq + 1)..]), key));
            }
        }

        return parameters;
    }

    private static (string Host, string Port) SplitHostPort(ComponentSpec spec, string key, string part)
    {
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(spec, key, $"URL host '{part}' has no closing ']'");
            }

            var after = part[(close + 1)..];
            return after.Length == 0 ? (part[1..close], "")
                : after[0] == ':' ? (part[1..close], after[1..])
                : throw Error(spec, key, $"URL host '{part}' has text after ']' that is not :port");
        }

        var colon = part.LastIndexOf(':');
        return colon < 0 ? (Decode(part), "") : (Decode(part[..colon]), part[(colon + 1)..]);
    }

    /// <summary>Percent-decoding of the user, password, host and path parts.</summary>
    private static string Decode(string text) => Uri.UnescapeDataString(text);

    /// <summary>Percent-decoding with '+' as a space, as Go's url.ParseQuery reads a query.</summary>
    private static string DecodeQuery(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }
}
