using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Asya.Components.RabbitMQ;

/// <summary>
/// Reads Dapr's <c>pubsub.rabbitmq</c> keys into <see cref="RabbitMqSettings"/> and a client connection factory.
/// Mesh defaults differ from Dapr's where Dapr's would lose messages: messages are persistent and confirmed unless
/// the manifest says otherwise, and the prefetch window is bounded.
/// </summary>
internal static class RabbitMqSettingsReader
{
    public const ushort DefaultPrefetch = 100;

    public static (RabbitMqSettings Settings, ConnectionFactory Factory, string? Password) Read(MetadataReader reader, ILogger logger)
    {
        var spec = reader.Spec;
        var factory = new ConnectionFactory
        {
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            ClientProvidedName = reader.GetString(RabbitMqKeys.ClientName) ?? "asya-" + spec.Name,
            RequestedHeartbeat = Positive(reader, RabbitMqKeys.HeartBeat, TimeSpan.FromSeconds(10)),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };

        var endpoint = ReadEndpoint(reader, factory);
        ReadTls(reader, factory, endpoint.Tls);
        factory.NetworkRecoveryInterval = Positive(reader, RabbitMqKeys.ReconnectWaitSeconds, TimeSpan.FromSeconds(3));

        var durable = reader.GetBool(RabbitMqKeys.Durable, true);
        var persistent = ReadDeliveryMode(reader, durable);
        var prefetch = reader.GetInt(RabbitMqKeys.PrefetchCount, DefaultPrefetch, min: 0, max: ushort.MaxValue);
        var ttlKey = reader.GetString(RabbitMqKeys.TtlInSeconds) is null ? RabbitMqKeys.Ttl : RabbitMqKeys.TtlInSeconds;
        var ttl = reader.GetInt(ttlKey, 0, min: 0);
        var (management, user, password) = ReadManagement(reader, factory);
        var settings = new RabbitMqSettings
        {
            Endpoint = endpoint.Display,
            Durable = durable,
            Persistent = persistent,
            PublisherConfirm = reader.GetBool(RabbitMqKeys.PublisherConfirm, true),
            Prefetch = prefetch == 0 ? DefaultPrefetch : (ushort)prefetch,
            ReconnectWait = factory.NetworkRecoveryInterval,
            MaxLength = reader.GetInt(RabbitMqKeys.MaxLen, 0, min: 0) is > 0 and var maxLen ? maxLen : null,
            MaxLengthBytes = reader.GetInt(RabbitMqKeys.MaxLenBytes, 0, min: 0) is > 0 and var maxBytes ? maxBytes : null,
            MessageTtlMilliseconds = ttl > 0 ? ttl * 1000L : null,
            ManagementUrl = management,
            ManagementUser = user,
            ManagementPassword = password,
            VisibilityTimeout = reader.GetDuration(RabbitMqKeys.VisibilityTimeout, TimeSpan.Zero),
        };

        if (prefetch == 0 && reader.GetString(RabbitMqKeys.PrefetchCount) is not null)
        {
            logger.PrefetchBounded(spec.Name, DefaultPrefetch);
        }

        return (settings, factory, factory.Password);
    }

    private static (string Display, bool Tls) ReadEndpoint(MetadataReader reader, ConnectionFactory factory)
    {
        var spec = reader.Spec;
        var protocol = reader.GetString(RabbitMqKeys.Protocol)?.Trim().ToLowerInvariant();
        if (protocol is not (null or "amqp" or "amqps"))
        {
            throw ComponentConfigurationException.InvalidValue(spec, RabbitMqKeys.Protocol, protocol, "must be amqp or amqps");
        }

        // Dapr's legacy 'host' is an alias of connectionString; a bare host name there is read as 'hostname'.
        var key = RabbitMqKeys.ConnectionString;
        var connectionString = reader.GetString(RabbitMqKeys.ConnectionString);
        if (connectionString is null && reader.GetString(RabbitMqKeys.Host) is { } host && host.Contains("://", StringComparison.Ordinal))
        {
            key = RabbitMqKeys.Host;
            connectionString = host;
        }

        bool tls;
        if (connectionString is not null)
        {
            var masked = UriMasking.Mask(connectionString.Trim());
            if (!Uri.TryCreate(connectionString.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || uri.Host.Length == 0)
            {
                throw new ComponentConfigurationException(
                    $"{spec.Describe()}: metadata '{key}' = '{masked}': must be an amqp:// or amqps:// URI such as amqp://user:password@host:5672/vhost");
            }

            if (protocol is not null && protocol != uri.Scheme)
            {
                throw ComponentConfigurationException.InvalidValue(
                    spec, RabbitMqKeys.Protocol, protocol, $"does not match the scheme of {key} ({uri.Scheme})");
            }

            try
            {
                factory.Uri = uri;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                throw new ComponentConfigurationException($"{spec.Describe()}: metadata '{key}' = '{masked}': {UriMasking.Scrub(ex.Message, uri.UserInfo)}");
            }

            tls = uri.Scheme == "amqps" || reader.GetBool(RabbitMqKeys.EnableTls, false);
        }
        else
        {
            factory.HostName = reader.GetString(RabbitMqKeys.Hostname) ?? reader.GetString(RabbitMqKeys.Host) ?? "localhost";
            factory.UserName = reader.GetString(RabbitMqKeys.Username) ?? ConnectionFactory.DefaultUser;
            factory.Password = reader.GetString(RabbitMqKeys.Password) ?? ConnectionFactory.DefaultPass;
            factory.VirtualHost = reader.GetString(RabbitMqKeys.Vhost) ?? ConnectionFactory.DefaultVHost;
            tls = protocol == "amqps" || reader.GetBool(RabbitMqKeys.EnableTls, false);
            factory.Port = reader.GetInt(RabbitMqKeys.Port, tls ? AmqpTcpEndpoint.DefaultAmqpSslPort : AmqpTcpEndpoint.UseDefaultPort, min: -1, max: 65535);
        }

        var port = factory.Port > 0 ? factory.Port : tls ? AmqpTcpEndpoint.DefaultAmqpSslPort : Protocols.DefaultProtocol.DefaultPort;
        var vhost = factory.VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(factory.VirtualHost);
        return ($"{(tls ? "amqps" : "amqp")}://{factory.UserName}:***@{factory.HostName}:{port}/{vhost}", tls);
    }

    private static void ReadTls(MetadataReader reader, ConnectionFactory factory, bool tls)
    {
        var spec = reader.Spec;
        var ca = reader.GetString(RabbitMqKeys.CaCert);
        var cert = reader.GetString(RabbitMqKeys.ClientCert);
        var key = reader.GetString(RabbitMqKeys.ClientKey);
        var external = reader.GetBool(RabbitMqKeys.SaslExternal, false);
        if (!tls)
        {
            if (ca is not null || cert is not null || key is not null)
            {
                throw ComponentConfigurationException.InvalidValue(
                    spec, ca is not null ? RabbitMqKeys.CaCert : cert is not null ? RabbitMqKeys.ClientCert : RabbitMqKeys.ClientKey, "***",
                    "TLS material is set but TLS is off: use an amqps:// connectionString, protocol: amqps or enableTLS: true");
            }

            if (external)
            {
                throw ComponentConfigurationException.InvalidValue(spec, RabbitMqKeys.SaslExternal, "true", "EXTERNAL authentication needs TLS");
            }

            return;
        }

        var ssl = new SslOption { Enabled = true, ServerName = factory.HostName };
        if (ca is not null)
        {
            var authority = LoadCertificate(spec, RabbitMqKeys.CaCert, () => X509Certificate2.CreateFromPem(ca));
            ssl.CertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authority, certificate, errors);
        }

        if ((cert is null) != (key is null))
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, cert is null ? RabbitMqKeys.ClientCert : RabbitMqKeys.ClientKey, null, "clientCert and clientKey go together");
        }

        if (cert is not null && key is not null)
        {
            var client = LoadCertificate(spec, RabbitMqKeys.ClientCert, () => X509Certificate2.CreateFromPem(cert, key));
            ssl.Certs = [client];
        }

        if (external)
        {
            if (cert is null || ca is null)
            {
                throw ComponentConfigurationException.InvalidValue(spec, RabbitMqKeys.SaslExternal, "true", "EXTERNAL authentication needs caCert, clientCert and clientKey");
            }

            factory.AuthMechanisms = [new ExternalMechanismFactory()];
        }

        factory.Ssl = ssl;
    }

    private static bool TrustedBy(X509Certificate2 authority, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only chain errors may be cured by the manifest's CA; a wrong host name stays an error.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }

    private static X509Certificate2 LoadCertificate(ComponentSpec spec, string key, Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw ComponentConfigurationException.InvalidValue(spec, key, "***", $"is not a usable PEM certificate/key ({ex.Message})");
        }
    }

    private static bool ReadDeliveryMode(MetadataReader reader, bool durable)
    {
        // Unset means persistent on durable queues: the mesh must not lose what the broker confirmed.
        return reader.GetString(RabbitMqKeys.DeliveryMode) is null
            ? durable
            : reader.GetInt(RabbitMqKeys.DeliveryMode, 2, min: 0, max: 2) == 2;
    }

    private static (Uri? Url, string? User, string? Password) ReadManagement(MetadataReader reader, ConnectionFactory factory)
    {
        if (reader.GetString(RabbitMqKeys.ManagementUrl) is not { } text)
        {
            return (null, null, null);
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ComponentConfigurationException(
                $"{reader.Spec.Describe()}: metadata '{RabbitMqKeys.ManagementUrl}' = '{UriMasking.Mask(text)}': must be an http(s) URL such as http://127.0.0.1:15672");
        }

        var user = factory.UserName;
        var password = factory.Password;
        if (url.UserInfo.Length > 0)
        {
            var parts = url.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        }

        var clean = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty };
        return (clean.Uri, user, password);
    }

    private static TimeSpan Positive(MetadataReader reader, string key, TimeSpan defaultValue)
    {
        var value = reader.GetDuration(key, defaultValue);
        if (value <= TimeSpan.Zero)
        {
            throw ComponentConfigurationException.InvalidValue(reader.Spec, key, reader.GetString(key), "must be positive");
        }

        return value;
    }
}
