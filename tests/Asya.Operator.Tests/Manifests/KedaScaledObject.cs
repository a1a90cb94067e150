using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Asya.Operator.Tests.Manifests;

/// <summary>Enough of KEDA's ScaledObject for KubernetesYaml to load one.</summary>
internal sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "keda.sh/v1alpha1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ScaledObject";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public Dictionary<string, object>? Spec { get; set; }
}
