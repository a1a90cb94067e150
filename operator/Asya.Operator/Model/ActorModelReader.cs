using Asya.Runtime.Protocol;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Asya.Operator.Model;

/// <summary>
/// Reads an <c>AsyncActor</c> object (as JSON) into an <see cref="ActorModel"/>. The CRD schema validates most of it
/// in the cluster; this repeats the checks the builders rely on so <c>asya manifests</c> and an API server without the
/// schema give the same clear errors (<c>spec.field: what is wrong</c>).
/// </summary>
public static partial class ActorModelReader
{
    public const string Group = "asya.sh";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "AsyncActor";

    public static ActorModel Read(JsonObject asyncActor, string defaultNamespace = "default")
    {
        ArgumentNullException.ThrowIfNull(asyncActor);
        var metadata = asyncActor["metadata"] as JsonObject ?? throw new ActorSpecException("metadata: is required");
        var objectName = Text(metadata["name"]) ?? throw new ActorSpecException("metadata.name: is required");
        var ns = Text(metadata["namespace"]) ?? defaultNamespace;
        var spec = asyncActor["spec"] as JsonObject ?? [];

        var actor = Text(spec["actor"]) ?? objectName;
        if (!ActorNames.IsValid(actor))
        {
            throw new ActorSpecException(
                $"{(spec.ContainsKey("actor") ? "spec.actor" : "metadata.name")}: '{actor}' is not a DNS label (lower-case letters, digits and '-', at most 63)");
        }

        var builtin = NonEmpty(Text(spec["builtin"]));
        if (builtin is not null && !ActorNames.IsBuiltin(builtin))
        {
            throw new ActorSpecException(
                $"spec.builtin: '{builtin}' is not a crew actor; use {ActorNames.Sink}, {ActorNames.Sump}, {ActorNames.Pause} or {ActorNames.Resume}");
        }

        var runtimeText = NonEmpty(Text(spec["runtime"])) ?? RuntimeKinds.Name(builtin is null ? RuntimeKind.Python : RuntimeKind.None);
        if (!RuntimeKinds.TryParse(runtimeText, out var runtime))
        {
            throw new ActorSpecException($"spec.runtime: '{runtimeText}' must be {RuntimeKinds.Vocabulary}");
        }

        var image = NonEmpty(Text(spec["image"]));
        var handler = NonEmpty(Text(spec["handler"]));
        if (builtin is null)
        {
            if (image is null)
            {
                throw new ActorSpecException("spec.image: is required (the runtime image) unless spec.builtin is set");
            }

            if (handler is null)
            {
                throw new ActorSpecException("spec.handler: is required (module.function or module.Class.method) unless spec.builtin is set");
            }

            if (runtime == RuntimeKind.Python && !HandlerReference().IsMatch(handler))
            {
                throw new ActorSpecException($"spec.handler: '{handler}' must be module.function or module.Class.method");
            }
        }

        var transport = NonEmpty(Text(spec["transport"]));
        if (transport is not null && !IsDnsSubdomain(transport))
        {
            throw new ActorSpecException($"spec.transport: '{transport}' is not a valid component name");
        }

        var stateStore = NonEmpty(Text(spec["stateStore"]));
        if (stateStore is not null && builtin is null)
        {
            throw new ActorSpecException("spec.stateStore: only crew actors (spec.builtin) keep a state store; a handler reaches state through spec.stateProxy");
        }

        if (stateStore is not null && !IsDnsSubdomain(stateStore))
        {
            throw new ActorSpecException($"spec.stateStore: '{stateStore}' is not a valid component name");
        }

        var resiliency = spec["resiliency"] as JsonObject;
        if (spec["resiliency"] is not (null or JsonObject))
        {
            throw new ActorSpecException("spec.resiliency: must be a mapping with actorTimeout, policies, rules");
        }

        return new ActorModel
        {
            ObjectName = objectName,
            Namespace = ns,
            Uid = Text(metadata["uid"]),
            Actor = actor,
            Image = image,
            Handler = handler,
            Runtime = runtime,
            Builtin = builtin,
            Transport = transport,
            StateStore = stateStore,
            Concurrency = Integer(spec, "concurrency", 1, 1, 1024),
            Replicas = Integer(spec, "replicas", 1, 0, 10_000),
            ImagePullPolicy = Enum(spec, "imagePullPolicy", "IfNotPresent", "Always", "IfNotPresent", "Never"),
            PythonExecutable = NonEmpty(Text(spec["pythonExecutable"])) ?? "python3",
            Env = Typed<List<V1EnvVar>>(spec, "env") ?? [],
            Resources = Typed<V1ResourceRequirements>(spec, "resources"),
            NodeSelector = Typed<Dictionary<string, string>>(spec, "nodeSelector") ?? [],
            Tolerations = Typed<List<V1Toleration>>(spec, "tolerations") ?? [],
            Volumes = Typed<List<V1Volume>>(spec, "volumes") ?? [],
            VolumeMounts = Typed<List<V1VolumeMount>>(spec, "volumeMounts") ?? [],
            Scaling = ReadScaling(spec["scaling"]),
            ActorTimeout = ReadActorTimeout(resiliency),
            ResiliencyPoliciesJson = ReadJson(resiliency, "policies", JsonValueKind.Object),
            ResiliencyRulesJson = ReadJson(resiliency, "rules", JsonValueKind.Array),
            Sidecar = ReadSidecar(spec["sidecar"]),
            StateProxy = ReadStateProxy(spec["stateProxy"]),
        };
    }


    private static bool IsDnsSubdomain(string name) => name.Length <= 253 && DnsSubdomain().IsMatch(name);

    private static ScalingSpec ReadScaling(JsonNode? node)
    {
        if (node is null)
        {
            return new ScalingSpec();
        }

        if (node is not JsonObject scaling)
        {
            throw new ActorSpecException("spec.scaling: must be a mapping (enabled, minReplicaCount, maxReplicaCount, ...)");
        }

        var defaults = new ScalingSpec();
        var result = new ScalingSpec
        {
            Enabled = Bool(scaling, "enabled", "spec.scaling", defaults.Enabled),
            MinReplicaCount = Integer(scaling, "minReplicaCount", defaults.MinReplicaCount, 0, 10_000, "spec.scaling"),
            MaxReplicaCount = Integer(scaling, "maxReplicaCount", defaults.MaxReplicaCount, 1, 10_000, "spec.scaling"),
            PollingInterval = Integer(scaling, "pollingInterval", defaults.PollingInterval, 1, 86_400, "spec.scaling"),
            CooldownPeriod = Integer(scaling, "cooldownPeriod", defaults.CooldownPeriod, 0, 86_400, "spec.scaling"),
            QueueLength = Integer(scaling, "queueLength", defaults.QueueLength, 1, 1_000_000, "spec.scaling"),
            ActivationQueueLength = Integer(scaling, "activationQueueLength", defaults.ActivationQueueLength, 0, 1_000_000, "spec.scaling"),
            CountInFlight = Bool(scaling, "countInFlight", "spec.scaling", defaults.CountInFlight),
        };
        if (result.MinReplicaCount > result.MaxReplicaCount)
        {
            throw new ActorSpecException(
                $"spec.scaling: minReplicaCount ({result.MinReplicaCount}) must not be above maxReplicaCount ({result.MaxReplicaCount})");
        }

        return result;
    }

    private static SidecarSpec ReadSidecar(JsonNode? node)
    {
        if (node is null)
        {
            return new SidecarSpec();
        }

        if (node is not JsonObject sidecar)
        {
            throw new ActorSpecException("spec.sidecar: must be a mapping (image, imagePullPolicy, resources, env)");
        }

        return new SidecarSpec
        {
            Image = NonEmpty(Text(sidecar["image"])),
            ImagePullPolicy = sidecar.ContainsKey("imagePullPolicy")
                ? Enum(sidecar, "imagePullPolicy", "IfNotPresent", "Always", "IfNotPresent", "Never", "spec.sidecar")
                : null,
            Resources = Typed<V1ResourceRequirements>(sidecar, "resources", "spec.sidecar"),
            Env = Typed<List<V1EnvVar>>(sidecar, "env", "spec.sidecar") ?? [],
        };
    }

    private static List<StateProxySpec> ReadStateProxy(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            throw new ActorSpecException("spec.stateProxy: must be a list of {name, mount, component, writeMode}");
        }

        var result = new List<StateProxySpec>();
        for (var i = 0; i < items.Count; i++)
        {
            var where = $"spec.stateProxy[{i}]";
            if (items[i] is not JsonObject item)
            {
                throw new ActorSpecException($"{where}: must be a mapping with name, mount, component");
            }

            var name = NonEmpty(Text(item["name"])) ?? throw new ActorSpecException($"{where}.name: is required");
            var component = NonEmpty(Text(item["component"])) ?? throw new ActorSpecException($"{where}.component: is required (a state.* Component)");
            var mount = item["mount"] is JsonObject m ? Text(m["path"]) : Text(item["mount"]);
            var writeMode = NonEmpty(Text(item["writeMode"])) ?? "buffered";
            if (writeMode is not ("buffered" or "passthrough"))
            {
                throw new ActorSpecException($"{where}.writeMode: '{writeMode}' must be buffered or passthrough");
            }

            result.Add(new StateProxySpec(name, mount, component, writeMode));
        }

        return result;
    }

    private static string? ReadActorTimeout(JsonObject? resiliency)
    {
        if (resiliency?["actorTimeout"] is not { } node)
        {
            return null;
        }

        var text = Text(node);
        if (text is null || !Asya.Components.Abstractions.MetadataReader.TryParseDuration(text, false, out var value) || value <= TimeSpan.Zero)
        {
            throw new ActorSpecException($"spec.resiliency.actorTimeout: '{text}' must be a positive duration such as 30s or 5m");
        }

        return text;
    }

    private static string? ReadJson(JsonObject? resiliency, string key, JsonValueKind kind)
    {
        if (resiliency?[key] is not { } node)
        {
            return null;
        }

        if (node.GetValueKind() != kind)
        {
            throw new ActorSpecException($"spec.resiliency.{key}: must be {(kind == JsonValueKind.Object ? "a mapping" : "a list")}");
        }

        return node.ToJsonString();
    }

    private static T? Typed<T>(JsonObject parent, string key, string path = "spec")
        where T : class
    {
        if (parent[key] is not { } node)
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<T>(node.ToJsonString());
        }
        catch (JsonException ex)
        {
            throw new ActorSpecException($"{path}.{key}: does not have the Kubernetes shape: {ex.Message}", ex);
        }
    }

    private static int Integer(JsonObject parent, string key, int defaultValue, int min, int max, string path = "spec")
    {
        if (parent[key] is not { } node)
        {
            return defaultValue;
        }

        // Parsed through its text: a node built in memory keeps its CLR type (an int is not readable as long).
        if (node.GetValueKind() == JsonValueKind.Number
            && double.TryParse(node.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
            && x == Math.Floor(x) && x >= min && x <= max)
        {
            return (int)x;
        }

        throw new ActorSpecException($"{path}.{key}: {node.ToJsonString()} must be a whole number between {min} and {max}");
    }

    private static bool Bool(JsonObject parent, string key, string path, bool defaultValue) => parent[key] switch
    {
        null => defaultValue,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw new ActorSpecException($"{path}.{key}: {other.ToJsonString()} must be true or false"),
    };

    private static string Enum(JsonObject parent, string key, string defaultValue, string a, string b, string c, string path = "spec")
    {
        var text = NonEmpty(Text(parent[key]));
        return text is null ? defaultValue
            : text == a || text == b || text == c ? text
            : throw new ActorSpecException($"{path}.{key}: '{text}' must be one of {a}, {b}, {c}");
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();


    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\z")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){1,2}\z")]
    private static partial Regex HandlerReference();
}
