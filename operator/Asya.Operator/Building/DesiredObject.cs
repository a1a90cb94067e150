using System.Text.Json.Nodes;
using Asya.Operator.Kube;

namespace Asya.Operator.Building;

/// <summary>One object the operator wants to exist, with its resource type.</summary>
public sealed record DesiredObject(ResourceKind Kind, JsonObject Body)
{
    public string Name => Body["metadata"]!["name"]!.GetValue<string>();
}
