using System.Text.Json.Nodes;

namespace Asya.Testing.Kubernetes;

/// <summary>One change of the store, as a watch stream reports it.</summary>
public sealed record WatchEvent(long ResourceVersion, string Type, ApiResource Resource, JsonObject Body)
{
    public string Namespace => Body["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty;
}
