using k8s.Models;

namespace Asya.Operator.Model;

/// <summary>An <c>AsyncActor</c> read and validated: everything the builders need, defaults applied.</summary>
public sealed record ActorModel
{
    /// <summary><c>metadata.name</c> of the AsyncActor object.</summary>
    public required string ObjectName { get; init; }

    public required string Namespace { get; init; }

    /// <summary><c>metadata.uid</c>, for owner references; <c>null</c> when rendered without a cluster.</summary>
    public string? Uid { get; init; }

    /// <summary>Logical actor name (<c>spec.actor</c>, default <c>metadata.name</c>); the Deployment is named after it.</summary>
    public required string Actor { get; init; }

    public string? Image { get; init; }

    public string? Handler { get; init; }

    public Asya.Runtime.Protocol.RuntimeKind Runtime { get; init; } = Asya.Runtime.Protocol.RuntimeKind.Python;

    /// <summary><c>x-sink</c>, <c>x-sump</c>, <c>x-pause</c> or <c>x-resume</c> for crew actors (no runtime container), else <c>null</c>.</summary>
    public string? Builtin { get; init; }

    /// <summary>
    /// <c>spec.stateStore</c>: the <c>state.*</c> Component a crew actor keeps its records in (results, dead letters, pause
    /// checkpoints); <c>null</c> leaves the choice to <see cref="Building.CrewStateStore"/>.
    /// </summary>
    public string? StateStore { get; init; }

    /// <summary>Name of the transport Component; <c>null</c> means the only <c>pubsub.*</c> component of the namespace.</summary>
    public string? Transport { get; init; }

    public int Concurrency { get; init; } = 1;

    public int Replicas { get; init; } = 1;

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public string PythonExecutable { get; init; } = "python3";

    public IReadOnlyList<V1EnvVar> Env { get; init; } = [];

    public V1ResourceRequirements? Resources { get; init; }

    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    public IReadOnlyList<V1Volume> Volumes { get; init; } = [];

    public IReadOnlyList<V1VolumeMount> VolumeMounts { get; init; } = [];

    public ScalingSpec Scaling { get; init; } = new();

    /// <summary><c>spec.resiliency.actorTimeout</c> (Go duration) or <c>null</c>.</summary>
    public string? ActorTimeout { get; init; }

    public string? ResiliencyPoliciesJson { get; init; }

    public string? ResiliencyRulesJson { get; init; }

    public SidecarSpec Sidecar { get; init; } = new();

    public IReadOnlyList<StateProxySpec> StateProxy { get; init; } = [];

    public bool IsCrew => Builtin is not null;

    /// <summary>True for x-pause and x-resume, which share one checkpoint store between their Deployments.</summary>
    public bool IsPauseCrew => Builtin is Asya.Runtime.Protocol.ActorNames.Pause or Asya.Runtime.Protocol.ActorNames.Resume;

    /// <summary>The queue this actor consumes: <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c>.</summary>
    public string Queue => Asya.Runtime.Protocol.ActorNames.Queue(Namespace, Actor);

    /// <summary>Names of every component this actor needs besides the transport (state stores).</summary>
    public IEnumerable<string> StateComponents => StateProxy.Select(s => s.Component).Distinct(StringComparer.Ordinal);
}
