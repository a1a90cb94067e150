namespace Asya.ExternalScaler.Configuration;

/// <summary>How the scaler runs; parsed from flags and <c>ASYA_*</c> variables by <see cref="ScalerOptionsParser"/>.</summary>
internal sealed record ScalerOptions
{
    /// <summary>gRPC listener, <c>host:port</c> (port 0 picks a free one).</summary>
    public string GrpcAddress { get; init; } = ":9090";

    /// <summary>HTTP/1 listener for <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>; null when off.</summary>
    public string? MetricsAddress { get; init; } = ":8080";

    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>Folder of the embedded SQLite database, used when no transport manifest is given.</summary>
    public string DataDirectory { get; init; } = Asya.Components.EmbeddedComponents.DefaultDataDirectory;

    /// <summary>Kubernetes namespace the manifests are filtered by (Dapr's rule), if any.</summary>
    public string? Namespace { get; init; }

    /// <summary>App id for manifest <c>scopes</c>: components scoped to other ids are not loaded.</summary>
    public string AppId { get; init; } = "asya-external-scaler";

    /// <summary>Poll interval for every transport; null = per type (100 ms embedded/Redis, 1 s HTTP-API brokers).</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>Age after which a cached depth is refused; null = 10 × the poll interval, at least 1 s.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>A queue no ScaledObject asked about for this long is no longer polled.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromMinutes(10);

    public int MaxStreamsPerConnection { get; init; } = 10_000;

    public string? TlsCertificateFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>CA bundle clients must chain to (mTLS); null = no client certificate asked for.</summary>
    public string? TlsClientCaFile { get; init; }

    public string LogLevel { get; init; } = "info";
}
