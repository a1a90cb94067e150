using System.Net;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Asya.Components.Redis;

/// <summary>
/// Turns the Redis connection keys shared by <c>pubsub.redis</c> and <c>state.redis</c> into a connected
/// multiplexer. Durations follow Dapr's Redis decoder: Go strings, or a bare number of milliseconds.
/// </summary>
internal static class RedisConnector
{
    private const int DefaultPort = 6379;

    public static async Task<ConnectionMultiplexer> ConnectAsync(MetadataReader reader, ILogger logger, CancellationToken cancellationToken)
    {
        var spec = reader.Spec;
        var options = ReadOptions(reader, logger);
        var host = reader.GetRequiredString(RedisKeys.RedisHost);
        Task<ConnectionMultiplexer> connecting;
        try
        {
            connecting = ConnectionMultiplexer.ConnectAsync(options);
            var multiplexer = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            logger.Connected(spec.Name, host, options.DefaultDatabase ?? 0, options.Ssl);
            return multiplexer;
        }
        catch (Exception ex) when (ex is RedisException or IOException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot connect to Redis at '{host}' ({RedisKeys.RedisHost}): {Scrub(Reason(ex), options)}");
        }
    }

    /// <summary>Builds the client options; exposed for tests that check the mapping without a server.</summary>
    public static ConfigurationOptions ReadOptions(MetadataReader reader, ILogger logger)
    {
        var spec = reader.Spec;
        if (reader.GetString(RedisKeys.RedisType) is { } type && !string.Equals(type.Trim(), "node", StringComparison.OrdinalIgnoreCase))
        {
            throw ComponentConfigurationException.InvalidValue(spec, RedisKeys.RedisType, type,
                "only 'node' is supported: queue operations run as Lua scripts over several keys, which a cluster would split; "
                + "point redisHost at one Redis node (or a standalone instance) and remove redisType");
        }

        if (reader.GetBool(RedisKeys.Failover, false))
        {
            throw ComponentConfigurationException.InvalidValue(spec, RedisKeys.Failover, reader.GetString(RedisKeys.Failover),
                "Redis Sentinel is not supported; point redisHost at the primary and remove failover");
        }

        foreach (var key in new[] { RedisKeys.UseEntraId, RedisKeys.UseAzureAd, RedisKeys.UseOidc })
        {
            if (reader.GetBool(key, false))
            {
                throw ComponentConfigurationException.InvalidValue(spec, key, reader.GetString(key),
                    "token authentication (Entra ID, OIDC) is not supported; use redisUsername/redisPassword (an access key)");
            }
        }

        foreach (var key in new[] { RedisKeys.ClientCert, RedisKeys.ClientKey })
        {
            if (reader.GetString(key) is not null)
            {
                throw ComponentConfigurationException.InvalidValue(spec, key, "***", "client certificates are not supported yet");
            }
        }

        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ClientName = "asya-" + spec.Name,
            User = reader.GetString(RedisKeys.RedisUsername),
            Password = reader.GetString(RedisKeys.RedisPassword),
            DefaultDatabase = reader.GetInt(RedisKeys.RedisDb, 0, min: 0),
            Ssl = reader.GetBool(RedisKeys.EnableTls, false),
            ConnectTimeout = Milliseconds(reader, RedisKeys.DialTimeout, TimeSpan.FromSeconds(5)),
        };

        var port = reader.GetInt(RedisKeys.RedisPort, DefaultPort, min: 1, max: 65535);
        var host = reader.GetRequiredString(RedisKeys.RedisHost);
        foreach (var endpoint in host.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            options.EndPoints.Add(ParseEndPoint(spec, endpoint, port));
        }

        if (options.EndPoints.Count == 0)
        {
            throw ComponentConfigurationException.InvalidValue(spec, RedisKeys.RedisHost, host, "names no host");
        }

        if (options.Ssl && reader.GetBool(RedisKeys.InsecureSkipTlsVerify, false))
        {
#pragma warning disable CA5359 // the manifest asked for it explicitly (insecureSkipTLSVerify), as Dapr allows
            options.CertificateValidation += (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        // Dapr's Go client has separate read and write deadlines; ours has one per call, so the longer one wins.
        var read = Milliseconds(reader, RedisKeys.ReadTimeout, TimeSpan.FromSeconds(5));
        var write = Milliseconds(reader, RedisKeys.WriteTimeout, TimeSpan.FromSeconds(5));
        options.SyncTimeout = options.AsyncTimeout = Math.Max(read, write);

        var minRetry = Milliseconds(reader, RedisKeys.RedisMinRetryInterval, TimeSpan.FromMilliseconds(8));
        var maxRetry = Milliseconds(reader, RedisKeys.RedisMaxRetryInterval, TimeSpan.FromMilliseconds(512));
        options.ReconnectRetryPolicy = new ExponentialRetry(Math.Max(1, minRetry), Math.Max(minRetry, maxRetry));

        return options;
    }

    private static EndPoint ParseEndPoint(ComponentSpec spec, string text, int defaultPort)
    {
        var host = text;
        var port = defaultPort;
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        if (bracketed ? text.Contains("]:", StringComparison.Ordinal) : colon > 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            host = text[..colon];
            if (!int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
                || port is < 1 or > 65535)
            {
                throw ComponentConfigurationException.InvalidValue(spec, RedisKeys.RedisHost, text, "the port must be a number from 1 to 65535");
            }
        }

        host = host.Trim('[', ']');
        if (host.Length == 0)
        {
            throw ComponentConfigurationException.InvalidValue(spec, RedisKeys.RedisHost, text, "is not host:port");
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    private static int Milliseconds(MetadataReader reader, string key, TimeSpan defaultValue)
    {
        // Dapr takes -1 for "no timeout"; ours needs a number, so it falls back to the default.
        if (reader.GetString(key)?.Trim() is "-1" or "0")
        {
            return (int)defaultValue.TotalMilliseconds;
        }

        var value = reader.GetDuration(key, defaultValue, bareNumberIsMilliseconds: true);
        return (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
    }

    /// <summary>The client's message without its advice about abortConnect (not a setting our users have), plus the root cause.</summary>
    private static string Reason(Exception ex)
    {
        var message = ex.Message;
        var advice = message.IndexOf(" To allow this multiplexer", StringComparison.Ordinal);
        if (advice > 0)
        {
            message = message[..advice];
        }

        var root = ex;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        if (ex is RedisConnectionException connection)
        {
            message = $"{message} [{connection.FailureType}]";
        }

        return ReferenceEquals(root, ex) ? message : $"{message} ({root.Message})";
    }

    private static string Scrub(string message, ConfigurationOptions options) =>
        string.IsNullOrEmpty(options.Password) ? message : message.Replace(options.Password, "***", StringComparison.Ordinal);
}
