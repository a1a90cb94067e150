using System.Globalization;
using Asya.Operator.Model;
using k8s.Models;

namespace Asya.Operator.Building;

/// <summary>
/// The Deployment of an actor: the user's runtime container <c>asya-runtime</c> (none for crew) and the injected
/// <c>asya-sidecar</c>, sharing <c>/var/run/asya</c> and the process namespace (the sidecar kills a hung runtime),
/// the components Secret mounted as the sidecar's resources path, probes, grace period above the drain timeout.
/// <c>replicas</c> is left out when KEDA scales the actor.
/// </summary>
public static class DeploymentBuilder
{
    public const string RuntimeContainer = "asya-runtime";
    public const string SidecarContainer = "asya-sidecar";
    public const string SocketDir = "/var/run/asya";
    public const string ComponentsPath = "/etc/asya/components";
    public const string RuntimeScriptPath = "/opt/asya/asya_runtime.py";

    /// <summary>The sidecar's default gateway (its <c>--gateway-url</c>), from <see cref="OperatorSettings.GatewayUrl"/>.</summary>
    public const string GatewayUrlVariable = "ASYA_GATEWAY_URL";

    /// <summary>The crew sidecar's state store (its <c>--result-store</c>), from <see cref="RenderedComponents.StateStore"/>.</summary>
    public const string ResultStoreVariable = "ASYA_RESULT_STORE";

    private const string SocketVolume = "socket-dir";
    private const string TmpVolume = "tmp";
    private const string ComponentsVolume = "asya-components";
    private const string RuntimeVolume = "asya-runtime";

    public static V1Deployment Build(ActorModel actor, OperatorSettings settings, RenderedComponents components)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(components);
        var labels = Labels.Of(actor);
        var containers = new List<V1Container>();
        if (!actor.IsCrew)
        {
            containers.Add(Runtime(actor));
        }

        containers.Add(Sidecar(actor, settings, components));
        var podLabels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        var volumes = new List<V1Volume>
        {
            new() { Name = SocketVolume, EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = ComponentsVolume, Secret = new V1SecretVolumeSource { SecretName = ObjectNames.ComponentsSecret(actor) } },
        };
        if (!actor.IsCrew && actor.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python)
        {
            volumes.Add(new V1Volume
            {
                Name = RuntimeVolume,
                ConfigMap = new V1ConfigMapVolumeSource { Name = settings.RuntimeConfigMapName, DefaultMode = 0x1ED },
            });
        }

        volumes.AddRange(actor.Volumes);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = ObjectNames.Deployment(actor),
                NamespaceProperty = actor.Namespace,
                Labels = labels,
                OwnerReferences = OwnerReferences.Of(actor),
            },
            Spec = new V1DeploymentSpec
            {
                // With KEDA the HPA owns the count; writing one here would fight it on every reconcile.
                Replicas = actor.Scaling.Enabled ? null : actor.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(actor) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = podLabels,
                        Annotations = new Dictionary<string, string> { [Labels.ComponentsHash] = components.Hash },
                    },
                    Spec = new V1PodSpec
                    {
                        ShareProcessNamespace = actor.IsCrew ? null : true,
                        TerminationGracePeriodSeconds = settings.TerminationGracePeriodSeconds,
                        ServiceAccountName = components.SecretNames.Count > 0 ? ObjectNames.SecretAccess(actor) : null,
                        Containers = containers,
                        Volumes = volumes,
                        NodeSelector = actor.NodeSelector.Count > 0 ? new Dictionary<string, string>(actor.NodeSelector) : null,
                        Tolerations = actor.Tolerations.Count > 0 ? [.. actor.Tolerations] : null,
                    },
                },
            },
        };
    }

    private static V1Container Runtime(ActorModel actor)
    {
        var env = new List<V1EnvVar>
        {
            Env("ASYA_HANDLER", actor.Handler),
            Env("ASYA_SOCKET_DIR", SocketDir),
        };
        env.AddRange(actor.Env);
        var mounts = new List<V1VolumeMount>
        {
            Mount(SocketDir, SocketVolume),
            Mount("/tmp", TmpVolume),
        };
        if (actor.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python)
        {
            mounts.Add(Mount(RuntimeScriptPath, RuntimeVolume, readOnly: true, subPath: RuntimeConfigMapBuilder.ScriptKey));
        }

        mounts.AddRange(actor.VolumeMounts);
        var ready = $"{SocketDir}/{Asya.Runtime.Protocol.RuntimeProtocol.ReadyFileName}";
        var socket = $"{SocketDir}/{Asya.Runtime.Protocol.RuntimeProtocol.SocketFileName}";
        return new V1Container
        {
            Name = RuntimeContainer,
            Image = actor.Image,
            ImagePullPolicy = actor.ImagePullPolicy,
            Command = actor.Runtime == Asya.Runtime.Protocol.RuntimeKind.Python ? [actor.PythonExecutable, RuntimeScriptPath] : null,
            Env = env,
            Resources = actor.Resources,
            VolumeMounts = mounts,
            // Up to five minutes to import a model; then the socket must stay there.
            StartupProbe = Exec($"test -S {socket} && test -f {ready}", period: 2, timeout: 3, failures: 150),
            LivenessProbe = Exec($"test -S {socket}", period: 30, timeout: 5, failures: 3),
        };
    }

    private static V1Container Sidecar(ActorModel actor, OperatorSettings settings, RenderedComponents components)
    {
        var env = new List<V1EnvVar>
        {
            Env("ASYA_ACTOR_NAME", actor.Actor),
            Env("ASYA_NAMESPACE", actor.Namespace),
            Env("ASYA_RESOURCES_PATH", ComponentsPath),
            Env("ASYA_TRANSPORT_COMPONENT", components.Transport),
            Env("ASYA_CONCURRENCY", actor.Concurrency.ToString(CultureInfo.InvariantCulture)),
            Env("ASYA_SOCKET_DIR", SocketDir),
            Env("ASYA_METRICS_ADDR", $":{settings.MetricsPort.ToString(CultureInfo.InvariantCulture)}"),
            Env("ASYA_DRAIN_TIMEOUT", $"{(int)settings.DrainTimeout.TotalSeconds}s"),
            Env("ASYA_DATA_DIR", "/tmp/asya"),
            Env("ASYA_LOG_FORMAT", "json"),
            Field("POD_NAME", "metadata.name"),
            Field("NAMESPACE", "metadata.namespace"),
        };
        if (actor.Builtin is { } builtin)
        {
            env.Add(Env("ASYA_BUILTIN", builtin));
        }

        if (components.StateStore is { } store)
        {
            env.Add(Env(ResultStoreVariable, store));
        }

        if (actor.ActorTimeout is { } timeout)
        {
            env.Add(Env("ASYA_RESILIENCY_ACTOR_TIMEOUT", timeout));
        }

        if (actor.ResiliencyPoliciesJson is { } policies)
        {
            env.Add(Env("ASYA_RESILIENCY_POLICIES", policies));
        }

        if (actor.ResiliencyRulesJson is { } rules)
        {
            env.Add(Env("ASYA_RESILIENCY_RULES", rules));
        }

        // The actor's own ASYA_GATEWAY_URL replaces the operator's instead of shadowing a duplicate entry.
        if (settings.GatewayUrl is { } gatewayUrl && !actor.Sidecar.Env.Any(e => e.Name == GatewayUrlVariable))
        {
            env.Add(Env(GatewayUrlVariable, gatewayUrl));
        }

        env.AddRange(actor.Sidecar.Env);
        IntOrString metrics = settings.MetricsPort.ToString(CultureInfo.InvariantCulture);
        return new V1Container
        {
            Name = SidecarContainer,
            Image = actor.Sidecar.Image ?? settings.SidecarImage,
            ImagePullPolicy = actor.Sidecar.ImagePullPolicy ?? settings.SidecarImagePullPolicy,
            Env = env,
            Ports = [new V1ContainerPort { ContainerPort = settings.MetricsPort, Name = "metrics", Protocol = "TCP" }],
            Resources = actor.Sidecar.Resources ?? settings.SidecarResources,
            VolumeMounts =
            [
                Mount(SocketDir, SocketVolume),
                Mount("/tmp", TmpVolume),
                Mount(ComponentsPath, ComponentsVolume, readOnly: true),
            ],
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = metrics, Path = "/healthz" }, PeriodSeconds = 10, TimeoutSeconds = 3, FailureThreshold = 3 },
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = metrics, Path = "/readyz" }, PeriodSeconds = 5, TimeoutSeconds = 3, FailureThreshold = 3 },
        };
    }

    private static V1EnvVar Env(string name, string? value) => new() { Name = name, Value = value };

    private static V1EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    private static V1VolumeMount Mount(string path, string volume, bool? readOnly = null, string? subPath = null) =>
        new() { MountPath = path, Name = volume, ReadOnlyProperty = readOnly, SubPath = subPath };

    private static V1Probe Exec(string script, int period, int timeout, int failures) => new()
    {
        Exec = new V1ExecAction { Command = ["/bin/sh", "-c", script] },
        PeriodSeconds = period,
        TimeoutSeconds = timeout,
        FailureThreshold = failures,
    };
}
