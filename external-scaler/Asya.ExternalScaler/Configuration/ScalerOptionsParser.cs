using Asya.Hosting;
using Asya.Hosting.Flags;

namespace Asya.ExternalScaler.Configuration;

/// <summary>Flags (<c>--name value</c> or <c>--name=value</c>) win over their <c>ASYA_*</c> variables.</summary>
internal static class ScalerOptionsParser
{
    /// <summary>Every flag of the scaler; <c>--help</c> prints this table.</summary>
    public static FlagTable Flags { get; } = new("asya-external-scaler",
    [
        new("grpc-addr", "ASYA_SCALER_GRPC_ADDR", ":9090", "host:port of the gRPC (HTTP/2) listener KEDA dials"),
        new("metrics-addr", "ASYA_SCALER_METRICS_ADDR", ":8080", "host:port of /metrics, /healthz, /readyz (HTTP/1), or off"),
        new("resources-path", "ASYA_RESOURCES_PATH", null, "folder of Dapr Component manifests (repeatable; variable: a:b)") { Repeatable = true },
        new("data-dir", "ASYA_DATA_DIR", Asya.Components.EmbeddedComponents.DefaultDataDirectory, "folder of the embedded SQLite database, used when no transport manifest is given"),
        new("namespace", "ASYA_NAMESPACE", null, "Kubernetes namespace the manifests are filtered by"),
        new("app-id", "ASYA_SCALER_APP_ID", "asya-external-scaler", "app id for manifest scopes"),
        new("poll-interval", "ASYA_SCALER_POLL_INTERVAL", null, "poll interval of every transport (default per type: 100ms embedded/Redis, 1s HTTP-API brokers)"),
        new("stale-after", "ASYA_SCALER_STALE_AFTER", null, "age after which a cached depth is refused (default 10 × the poll interval, at least 1s)"),
        new("forget-after", "ASYA_SCALER_FORGET_AFTER", "10m", "a queue no ScaledObject asked about for this long is no longer polled"),
        new("max-streams", "ASYA_SCALER_MAX_STREAMS", "10000", "HTTP/2 streams per connection (KEDA holds one per push trigger)"),
        new("tls-cert", "ASYA_SCALER_TLS_CERT", null, "PEM certificate of the gRPC listener (with --tls-key)"),
        new("tls-key", "ASYA_SCALER_TLS_KEY", null, "PEM key of the gRPC listener (with --tls-cert)"),
        new("tls-client-ca", "ASYA_SCALER_TLS_CLIENT_CA", null, "CA bundle client certificates must chain to (mTLS)"),
        new("log-level", "ASYA_LOG_LEVEL", "info", LogLevels.Vocabulary),
    ])
    { LastWins = true };

    public static ScalerOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var flags = Flags.Read(args, environment);
        var cert = flags.Get("tls-cert");
        var key = flags.Get("tls-key");
        var clientCa = flags.Get("tls-client-ca");
        if ((cert is null) != (key is null))
        {
            throw new ConfigurationException($"{flags.Where("tls-cert")} and {flags.Where("tls-key")} go together: give both or neither");
        }

        if (clientCa is not null && cert is null)
        {
            throw new ConfigurationException($"{flags.Where("tls-client-ca")} needs server TLS: give {flags.Where("tls-cert")} and {flags.Where("tls-key")} too");
        }

        foreach (var (flag, file) in new[] { ("tls-cert", cert), ("tls-key", key), ("tls-client-ca", clientCa) })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new ConfigurationException($"{flags.Where(flag)}: file '{Path.GetFullPath(file)}' does not exist");
            }
        }

        return new ScalerOptions
        {
            GrpcAddress = flags.GetListenAddress("grpc-addr", allowOff: false)!,
            MetricsAddress = flags.GetListenAddress("metrics-addr", allowOff: true),
            ResourcesPaths = flags.GetPaths("resources-path"),
            DataDirectory = flags.Get("data-dir")!,
            Namespace = flags.Get("namespace"),
            AppId = flags.Get("app-id")!,
            PollInterval = flags.GetDurationOrNull("poll-interval"),
            StaleAfter = flags.GetDurationOrNull("stale-after"),
            ForgetAfter = flags.GetDuration("forget-after"),
            MaxStreamsPerConnection = flags.GetInt("max-streams", 100, int.MaxValue),
            TlsCertificateFile = cert,
            TlsKeyFile = key,
            TlsClientCaFile = clientCa,
            LogLevel = flags.GetLogLevel("log-level"),
        };
    }
}
