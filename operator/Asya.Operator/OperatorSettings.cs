using k8s.Models;

namespace Asya.Operator;

/// <summary>Operator-wide settings (flags/env of <c>asya-operator</c>); the same record drives <c>asya manifests</c>.</summary>
public sealed record OperatorSettings
{
    public const string FieldManager = "asya-operator";

    public string SidecarImage { get; init; } = "asya-sidecar:latest";

    public string SidecarImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>The external scaler's Service; KEDA dials <c>&lt;service&gt;.&lt;namespace&gt;.svc:&lt;port&gt;</c>.</summary>
    public string ScalerService { get; init; } = "asya-external-scaler";

    public string ScalerNamespace { get; init; } = "asya-system";

    public int ScalerPort { get; init; } = 9090;

    /// <summary>
    /// A ClusterTriggerAuthentication holding KEDA's client certificate (<c>caCert</c>, <c>tlsClientCert</c>,
    /// <c>tlsClientKey</c>); when set, triggers dial the scaler over TLS with it. Null: plaintext.
    /// </summary>
    public string? ScalerTlsAuthentication { get; init; }

    /// <summary>
    /// The gateway's mesh-port base URL, stamped into every injected sidecar as <c>ASYA_GATEWAY_URL</c> (the default
    /// gateway of envelopes without <c>x-asya-gateway-url</c>); an AsyncActor's own <c>spec.sidecar.env</c> entry of that
    /// name replaces it. Null: none stamped.
    /// </summary>
    public string? GatewayUrl { get; init; }

    /// <summary>Name of the namespace-shared ConfigMap holding <c>asya_runtime.py</c>.</summary>
    public string RuntimeConfigMapName { get; init; } = "asya-runtime";

    /// <summary>The sidecar's drain timeout; the pod's grace period is this plus <see cref="GracePeriodMargin"/>.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GracePeriodMargin { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Port of the injected sidecar's <c>/metrics</c> (its <c>ASYA_METRICS_ADDR</c>).</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>The operator's own <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> listener (<c>host:port</c>); null: none.</summary>
    public string? MetricsAddress { get; init; } = ":8080";

    /// <summary>Ensure the actor's queue on reconcile and delete it when the AsyncActor is deleted.</summary>
    public bool ManageQueues { get; init; } = true;

    /// <summary>Namespaces to watch; empty = all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Parallel reconciles (one per object at a time).</summary>
    public int Workers { get; init; } = 4;

    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First retry delay of a failed reconcile; doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan BaseRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Sidecar resources when the AsyncActor gives none (every container gets limits).</summary>
    public V1ResourceRequirements SidecarResources { get; init; } = new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("64Mi") },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("256Mi") },
    };

    public string ScalerAddress => $"{ScalerService}.{ScalerNamespace}.svc:{ScalerPort}";

    public int TerminationGracePeriodSeconds => (int)Math.Ceiling((DrainTimeout + GracePeriodMargin).TotalSeconds);
}
