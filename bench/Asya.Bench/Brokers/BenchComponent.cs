using System.Text;
using Asya.Components.Abstractions;

namespace Asya.Bench.Brokers;

/// <summary>A pub/sub component for the bench, written both as a manifest (for the sidecar) and as a spec (for us).</summary>
internal sealed record BenchComponent(string Type, IReadOnlyList<(string Key, string Value)> Metadata)
{
    public const string ComponentName = "bench-transport";

    public ComponentSpec ToSpec() => ComponentSpec.Create(ComponentName, Type, [.. Metadata]);

    public string ToManifest()
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("apiVersion: dapr.io/v1alpha1");
        yaml.AppendLine("kind: Component");
        yaml.AppendLine("metadata:");
        yaml.AppendLine($"  name: {ComponentName}");
        yaml.AppendLine("spec:");
        yaml.AppendLine($"  type: {Type}");
        yaml.AppendLine("  version: v1");
        yaml.AppendLine("  metadata:");
        foreach (var (key, value) in Metadata)
        {
            yaml.AppendLine($"    - name: {key}");
            yaml.AppendLine($"      value: \"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        return yaml.ToString();
    }
}
