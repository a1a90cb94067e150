using System.Text.Json.Nodes;

namespace Asya.Deploy.Tests;

/// <summary>Reading helpers for rendered Kubernetes objects.</summary>
internal static class KubeObject
{
    /// <summary>Kinds that have no namespace.</summary>
    public static readonly string[] ClusterScoped =
        ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "ClusterTriggerAuthentication", "PriorityClass"];

    public static string Kind(JsonObject o) => YamlDocuments.Text(o["kind"]) ?? "?";

    public static string Name(JsonObject o) => YamlDocuments.Text(o["metadata"]?["name"]) ?? "?";

    public static string Id(JsonObject o) => $"{Kind(o)}/{Name(o)}";

    public static string? Namespace(JsonObject o) => YamlDocuments.Text(o["metadata"]?["namespace"]);

    public static string? Label(JsonObject o, string key) => YamlDocuments.Text(o["metadata"]?["labels"]?[key]);

    /// <summary>The pod spec of a workload, or null.</summary>
    public static JsonObject? PodSpec(JsonObject o) => Kind(o) switch
    {
        "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => o["spec"]?["template"]?["spec"] as JsonObject,
        "CronJob" => o["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject,
        _ => null,
    };

    public static IEnumerable<JsonObject> Containers(JsonObject podSpec) =>
        new[] { "containers", "initContainers" }
            .SelectMany(key => podSpec[key] as JsonArray ?? [])
            .OfType<JsonObject>();
}
