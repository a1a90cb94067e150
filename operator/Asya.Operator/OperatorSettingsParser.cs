using System.Globalization;
using Asya.Components.Abstractions;

namespace Asya.Operator;

/// <summary>Flags (which win) and environment variables of <c>asya-operator</c> → <see cref="OperatorSettings"/>.</summary>
public static class OperatorSettingsParser
{
    /// <summary>Flag, environment variable, meaning (the README table is this list).</summary>
    public static IReadOnlyList<(string Flag, string Env, string Meaning)> Known { get; } =
    [
        ("kubeconfig", "KUBECONFIG", "kubeconfig file; default: in-cluster service account, else ~/.kube/config"),
        ("watch-namespace", "ASYA_WATCH_NAMESPACE", "watch one namespace; default all"),
        ("sidecar-image", "ASYA_SIDECAR_IMAGE", "sidecar image injected into every actor (default asya-sidecar:latest)"),
        ("sidecar-pull-policy", "ASYA_SIDECAR_PULL_POLICY", "IfNotPresent (default), Always, Never"),
        ("scaler-service", "ASYA_SCALER_SERVICE", "external scaler Service name (default asya-external-scaler)"),
        ("scaler-namespace", "ASYA_SCALER_NAMESPACE", "external scaler namespace (default asya-system)"),
        ("scaler-port", "ASYA_SCALER_PORT", "external scaler gRPC port (default 9090)"),
        ("scaler-tls-auth", "ASYA_SCALER_TLS_AUTH", "ClusterTriggerAuthentication with KEDA's client certificate; set when the scaler serves TLS (default: plaintext)"),
        ("runtime-configmap", "ASYA_RUNTIME_CONFIGMAP", "name of the per-namespace runtime ConfigMap (default asya-runtime)"),
        ("drain-timeout", "ASYA_DRAIN_TIMEOUT", "sidecar drain timeout; pods get it + 15s grace (default 30s)"),
        ("manage-queues", "ASYA_MANAGE_QUEUES", "ensure queues and delete them on AsyncActor deletion (default true)"),
        ("workers", "ASYA_OPERATOR_WORKERS", "parallel reconciles (default 4)"),
        ("resync", "ASYA_RESYNC_PERIOD", "re-queue every actor this often (default 5m)"),
    ];

    public static (OperatorSettings Settings, string? Kubeconfig) Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}': flags look like --name value");
            }

            var name = arg[2..];
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0)
            {
                (name, value) = (name[..eq], name[(eq + 1)..]);
            }

            if (Known.All(k => k.Flag != name))
            {
                throw new ArgumentException($"unknown flag --{name}; known flags: {string.Join(", ", Known.Select(k => "--" + k.Flag))}");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"flag --{name} needs a value");
                }

                value = args[++i];
            }

            flags[name] = value;
        }

        string? Get(string flag)
        {
            if (flags.TryGetValue(flag, out var value))
            {
                return value;
            }

            var env = Known.First(k => k.Flag == flag).Env;
            return environment.TryGetValue(env, out var fromEnv) && fromEnv.Length > 0 ? fromEnv : null;
        }

        string Where(string flag) => $"--{flag} (or {Known.First(k => k.Flag == flag).Env})";

        var defaults = new OperatorSettings();
        var pullPolicy = Get("sidecar-pull-policy") ?? defaults.SidecarImagePullPolicy;
        if (pullPolicy is not ("IfNotPresent" or "Always" or "Never"))
        {
            throw new ArgumentException($"{Where("sidecar-pull-policy")}: '{pullPolicy}' must be IfNotPresent, Always or Never");
        }

        var settings = defaults with
        {
            WatchNamespace = Get("watch-namespace"),
            SidecarImage = Get("sidecar-image") ?? defaults.SidecarImage,
            SidecarImagePullPolicy = pullPolicy,
            ScalerService = Get("scaler-service") ?? defaults.ScalerService,
            ScalerNamespace = Get("scaler-namespace") ?? defaults.ScalerNamespace,
            ScalerPort = Integer(Get("scaler-port"), defaults.ScalerPort, 1, 65535, Where("scaler-port")),
            ScalerTlsAuthentication = Get("scaler-tls-auth") is { Length: > 0 } auth ? auth : null,
            RuntimeConfigMapName = Get("runtime-configmap") ?? defaults.RuntimeConfigMapName,
            DrainTimeout = Duration(Get("drain-timeout"), defaults.DrainTimeout, Where("drain-timeout")),
            ManageQueues = Get("manage-queues") is not { } manage || Bool(manage, Where("manage-queues")),
            Workers = Integer(Get("workers"), defaults.Workers, 1, 256, Where("workers")),
            ResyncPeriod = Duration(Get("resync"), defaults.ResyncPeriod, Where("resync")),
        };
        return (settings, Get("kubeconfig"));
    }

    private static int Integer(string? text, int defaultValue, int min, int max, string where) =>
        text is null ? defaultValue
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw new ArgumentException($"{where}: '{text}' must be a whole number between {min} and {max}");

    private static TimeSpan Duration(string? text, TimeSpan defaultValue, string where) =>
        text is null ? defaultValue
        : MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds: false, out var value) && value > TimeSpan.Zero ? value
        : throw new ArgumentException($"{where}: '{text}' is not a positive duration such as 30s or 5m");

    private static bool Bool(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw new ArgumentException($"{where}: '{text}' must be true or false"),
    };
}
