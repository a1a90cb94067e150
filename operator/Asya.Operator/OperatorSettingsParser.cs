using System.Globalization;
using Asya.Hosting;
using Asya.Hosting.Flags;

namespace Asya.Operator;

/// <summary>Flags (which win) and environment variables of <c>asya-operator</c> → <see cref="OperatorSettings"/>.</summary>
public static class OperatorSettingsParser
{
    private static readonly OperatorSettings Defaults = new();

    /// <summary>Every flag of the operator; <c>--help</c> prints this table (defaults are those of <see cref="OperatorSettings"/>).</summary>
    public static FlagTable Flags { get; } = new("asya-operator",
    [
        new("kubeconfig", "KUBECONFIG", null, "kubeconfig file; default: in-cluster service account, else ~/.kube/config"),
        new("watch-namespace", "ASYA_WATCH_NAMESPACE", null, "watch one namespace; default all"),
        new("sidecar-image", "ASYA_SIDECAR_IMAGE", Defaults.SidecarImage, "sidecar image injected into every actor"),
        new("sidecar-pull-policy", "ASYA_SIDECAR_PULL_POLICY", Defaults.SidecarImagePullPolicy, "IfNotPresent, Always or Never"),
        new("scaler-service", "ASYA_SCALER_SERVICE", Defaults.ScalerService, "external scaler Service name"),
        new("scaler-namespace", "ASYA_SCALER_NAMESPACE", Defaults.ScalerNamespace, "external scaler namespace"),
        new("scaler-port", "ASYA_SCALER_PORT", Defaults.ScalerPort.ToString(CultureInfo.InvariantCulture), "external scaler gRPC port"),
        new("scaler-tls-auth", "ASYA_SCALER_TLS_AUTH", null,
            "ClusterTriggerAuthentication with KEDA's client certificate; set when the scaler serves TLS (default: plaintext)"),
        new("gateway-url", "ASYA_GATEWAY_URL", null,
            "gateway mesh-port URL stamped into every sidecar as ASYA_GATEWAY_URL, e.g. http://asya-gateway.asya-apps.svc:8081 (default: none)"),
        new("runtime-configmap", "ASYA_RUNTIME_CONFIGMAP", Defaults.RuntimeConfigMapName, "name of the per-namespace runtime ConfigMap"),
        new("drain-timeout", "ASYA_DRAIN_TIMEOUT", "30s", "sidecar drain timeout; pods get it + 15s grace"),
        new("manage-queues", "ASYA_MANAGE_QUEUES", "true", "ensure queues and delete them on AsyncActor deletion"),
        new("workers", "ASYA_OPERATOR_WORKERS", Defaults.Workers.ToString(CultureInfo.InvariantCulture), "parallel reconciles"),
        new("resync", "ASYA_RESYNC_PERIOD", "5m", "re-queue every actor this often"),
        new("metrics-addr", "ASYA_OPERATOR_METRICS_ADDR", Defaults.MetricsAddress, "host:port of /metrics, /healthz, /readyz (HTTP/1), or off"),
    ])
    { LastWins = true };

    /// <summary>The settings, the kubeconfig file (null: in-cluster or default) and the probe address (null: off).</summary>
    public static (OperatorSettings Settings, string? Kubeconfig) Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var flags = Flags.Read(args, environment);
        var pullPolicy = flags.Get("sidecar-pull-policy")!;
        if (pullPolicy is not ("IfNotPresent" or "Always" or "Never"))
        {
            throw new ConfigurationException($"{flags.Where("sidecar-pull-policy")}: '{pullPolicy}' must be IfNotPresent, Always or Never");
        }

        var settings = Defaults with
        {
            WatchNamespace = flags.Get("watch-namespace"),
            SidecarImage = flags.Get("sidecar-image")!,
            SidecarImagePullPolicy = pullPolicy,
            ScalerService = flags.Get("scaler-service")!,
            ScalerNamespace = flags.Get("scaler-namespace")!,
            ScalerPort = flags.GetInt("scaler-port", 1, 65535),
            ScalerTlsAuthentication = flags.Get("scaler-tls-auth") is { Length: > 0 } auth ? auth : null,
            GatewayUrl = flags.GetHttpUrl("gateway-url"),
            RuntimeConfigMapName = flags.Get("runtime-configmap")!,
            DrainTimeout = flags.GetDuration("drain-timeout"),
            ManageQueues = flags.GetBool("manage-queues"),
            Workers = flags.GetInt("workers", 1, 256),
            ResyncPeriod = flags.GetDuration("resync"),
            MetricsAddress = flags.GetListenAddress("metrics-addr", allowOff: true),
        };
        return (settings, flags.Get("kubeconfig"));
    }
}
