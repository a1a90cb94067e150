using System.Globalization;
using System.Text;
using Asya.Components.Abstractions;
using Npgsql;

namespace Asya.Components.PostgreSql;

/// <summary>
/// Turns libpq parameters into Npgsql's settings. A later parameter wins over an earlier one, so Dapr's override keys
/// (<c>host</c>, <c>port</c>, <c>password</c>, …) go after those of the connection string. A name libpq does not define
/// is a server setting, sent at connect (pgx's rule: <c>statement_timeout=5000</c> works).
/// </summary>
internal static class ConnectionParameterMapper
{
    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable, ["allow"] = SslMode.Allow, ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require, ["verify-ca"] = SslMode.VerifyCA, ["verify-full"] = SslMode.VerifyFull,
    };

    private static readonly Dictionary<string, ChannelBinding> ChannelBindings = new(StringComparer.Ordinal)
    {
        ["disable"] = ChannelBinding.Disable, ["prefer"] = ChannelBinding.Prefer, ["require"] = ChannelBinding.Require,
    };

    /// <summary>Npgsql's largest connect timeout, in seconds.</summary>
    public const int MaxConnectTimeout = 1024;

    private static readonly string[] SessionAttributes = ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];

    /// <summary>Client options of libpq this component cannot honour; silently dropping them would weaken what they ask for.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "gssencmode", "krbsrvname", "gsslib", "sslsni", "sslnegotiation", "sslcrl", "sslcrldir", "sslcompression",
        "requirepeer", "require_auth", "passfile", "service", "servicefile", "ssl_min_protocol_version", "ssl_max_protocol_version",
    };

    /// <summary>pgx tuning options with no counterpart in Npgsql's pool; they change no result.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "statement_cache_capacity", "description_cache_capacity", "pool_health_check_period", "pool_max_conn_lifetime_jitter",
        "pool_min_idle_conns", "min_read_buffer_size", "tcp_user_timeout", "keepalives", "keepalives_interval", "keepalives_count",
    };

    public static NpgsqlConnectionStringBuilder Map(ComponentSpec spec, IEnumerable<ConnectionParameter> parameters, out string? queryExecMode)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        queryExecMode = null;
        ConnectionParameter? hosts = null;
        ConnectionParameter? ports = null;
        var serverSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            switch (p.Name)
            {
                case "host" or "hostaddr":
                    hosts = p;
                    break;
                case "port":
                    ports = p;
                    break;
                case "user":
                    builder.Username = p.Value;
                    break;
                case "password":
                    builder.Password = p.Value;
                    break;
                case "dbname" or "database":
                    builder.Database = p.Value;
                    break;
                case "sslmode":
                    builder.SslMode = OneOf(spec, p, SslModes);
                    break;
                case "channel_binding":
                    builder.ChannelBinding = OneOf(spec, p, ChannelBindings);
                    break;
                case "sslrootcert":
                    builder.RootCertificate = p.Value;
                    break;
                case "sslcert":
                    builder.SslCertificate = p.Value;
                    break;
                case "sslkey":
                    builder.SslKey = p.Value;
                    break;
                case "sslpassword":
                    builder.SslPassword = p.Value;
                    break;
                case "connect_timeout":
                    builder.Timeout = Integer(spec, p, 0, MaxConnectTimeout);
                    break;
                case "keepalives_idle":
                    builder.KeepAlive = Integer(spec, p, 0, int.MaxValue);
                    break;
                case "application_name":
                    builder.ApplicationName = p.Value;
                    break;
                case "fallback_application_name":
                    builder.ApplicationName ??= p.Value;
                    break;
                case "search_path":
                    builder.SearchPath = p.Value;
                    break;
                case "options":
                    builder.Options = p.Value;
                    break;
                case "target_session_attrs":
                    builder.TargetSessionAttributes = SessionAttributes.Contains(p.Value, StringComparer.Ordinal)
                        ? p.Value
                        : throw Invalid(spec, p, $"must be one of {string.Join(", ", SessionAttributes)}");
                    break;
                case "pool_max_conns":
                    builder.MaxPoolSize = Integer(spec, p, 1, int.MaxValue);
                    break;
                case "pool_min_conns":
                    builder.MinPoolSize = Integer(spec, p, 0, int.MaxValue);
                    break;
                case "pool_max_conn_lifetime":
                    builder.ConnectionLifetime = Seconds(spec, p);
                    break;
                case "pool_max_conn_idle_time":
                    builder.ConnectionIdleLifetime = Math.Max(1, Seconds(spec, p));
                    break;
                case "default_query_exec_mode":
                    queryExecMode = p.Value;
                    break;
                default:
                    if (Unsupported.Contains(p.Name))
                    {
                        throw ConnectionStringParser.Error(spec, p.Source, $"parameter '{p.Name}' is not supported by this component; remove it");
                    }

                    if (!Ignored.Contains(p.Name))
                    {
                        serverSettings[p.Name] = p.Value;
                    }

                    break;
            }
        }

        SetHosts(spec, builder, hosts, ports);
        if (serverSettings.Count > 0)
        {
            var options = new StringBuilder(builder.Options);
            foreach (var (name, value) in serverSettings)
            {
                // libpq's options syntax: -c name=value, a space inside a value escaped with a backslash.
                options.Append(options.Length > 0 ? " " : "").Append("-c ").Append(name).Append('=')
                    .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal));
            }

            builder.Options = options.ToString();
        }

        return builder;
    }

    private static void SetHosts(ComponentSpec spec, NpgsqlConnectionStringBuilder builder, ConnectionParameter? hosts, ConnectionParameter? ports)
    {
        if (hosts is null || hosts.Value.Trim().Length == 0)
        {
            throw ConnectionStringParser.Error(
                spec, PostgreSqlKeys.ConnectionString, "names no host; give host=… (or a postgres://host/ URL), or the 'host' key");
        }

        var hostList = hosts.Value.Split(',', StringSplitOptions.TrimEntries);
        var portList = ports?.Value.Split(',', StringSplitOptions.TrimEntries) ?? [""];
        if (portList.Length != 1 && portList.Length != hostList.Length)
        {
            throw Invalid(spec, ports!, $"gives {portList.Length} ports for {hostList.Length} hosts; give one port, or one per host");
        }

        var numbers = portList.Select(p => p.Length == 0 ? (int?)null : Integer(spec, ports! with { Value = p }, 1, 65535)).ToList();
        if (hostList.Length == 1)
        {
            builder.Host = hostList[0];
            if (numbers[0] is { } port)
            {
                builder.Port = port;
            }

            return;
        }

        // Npgsql takes several hosts as host:port pairs; a host without a port gets builder.Port (5432 by default).
        builder.Host = string.Join(',', hostList.Select((host, i) =>
        {
            var port = numbers.Count == 1 ? numbers[0] : numbers[i];
            var shown = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
            return port is null ? shown : $"{shown}:{port.Value.ToString(CultureInfo.InvariantCulture)}";
        }));
    }

    private static T OneOf<T>(ComponentSpec spec, ConnectionParameter p, Dictionary<string, T> values) =>
        values.TryGetValue(p.Value, out var value) ? value : throw Invalid(spec, p, $"must be one of {string.Join(", ", values.Keys)}");

    private static int Integer(ComponentSpec spec, ConnectionParameter p, int min, int max) =>
        int.TryParse(p.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Invalid(spec, p, $"must be a whole number from {min} to {max}");

    private static int Seconds(ComponentSpec spec, ConnectionParameter p) =>
        MetadataReader.TryParseDuration(p.Value, bareNumberIsMilliseconds: false, out var duration) && duration >= TimeSpan.Zero
            ? (int)Math.Min(int.MaxValue, Math.Ceiling(duration.TotalSeconds))
            : throw Invalid(spec, p, "must be a duration such as 30s or 5m");

    /// <summary>
    /// A bad parameter value, named by its part of the connection string or by its override key; the value is shown
    /// unless it is a password or came from a secret store.
    /// </summary>
    private static ComponentConfigurationException Invalid(ComponentSpec spec, ConnectionParameter p, string problem)
    {
        if (p.Source is not (PostgreSqlKeys.ConnectionString or PostgreSqlKeys.Url))
        {
            return ComponentConfigurationException.InvalidValue(spec, p.Source, p.IsSecret ? "***" : p.Value, problem);
        }

        var shown = p.IsSecret || spec.SecretKeys.Contains(p.Source) ? "***" : $"'{p.Value}'";
        return ConnectionStringParser.Error(spec, p.Source, $"parameter '{p.Name}' = {shown}: {problem}");
    }
}
