using k8s.Models;

namespace Asya.Operator.Model;

/// <summary><c>spec.sidecar</c>: overrides of the injected sidecar container.</summary>
public sealed record SidecarSpec
{
    public string? Image { get; init; }

    public string? ImagePullPolicy { get; init; }

    public V1ResourceRequirements? Resources { get; init; }

    public IReadOnlyList<V1EnvVar> Env { get; init; } = [];
}
