using System.Text.Json.Nodes;
using k8s;

namespace Asya.Operator.Building;

/// <summary>Typed Kubernetes objects ↔ JSON, through the client's own serializer (camelCase, no nulls).</summary>
public static class KubeJson
{
    public static JsonObject ToJson(object value) =>
        JsonNode.Parse(KubernetesJson.Serialize(value))?.AsObject() ?? throw new InvalidOperationException("object serialized to null");

    public static T FromJson<T>(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return KubernetesJson.Deserialize<T>(node.ToJsonString());
    }
}
