using Asya.Components;
using Asya.Components.Abstractions;

namespace Asya.Bench.Scaler;

/// <summary>A transport the scaler watches in the benchmark: its manifest (if any) and the spec the sender uses.</summary>
internal sealed record BenchTarget(string Name, ComponentSpec Spec, string? Manifest)
{
    public static BenchTarget Sqlite(string dataDirectory) => new("sqlite", EmbeddedComponents.Transport(dataDirectory), null);

    public static BenchTarget Redis(string host) => new(
        "redis",
        ComponentSpec.Create("bench-redis", "pubsub.redis", ("redisHost", host)),
        $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: bench-redis
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{host}"
        """);
}
