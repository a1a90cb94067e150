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

    /// <summary>RabbitMQ with the management API, so one <c>GET /api/queues</c> answers a whole poll.</summary>
    public static BenchTarget RabbitMq(string uri, string managementUrl) => new(
        "rabbitmq",
        ComponentSpec.Create("bench-rabbitmq", "pubsub.rabbitmq", ("connectionString", uri), ("managementUrl", managementUrl)),
        $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: bench-rabbitmq
        spec:
          type: pubsub.rabbitmq
          version: v1
          metadata:
          - name: connectionString
            value: "{uri}"
          - name: managementUrl
            value: "{managementUrl}"
        """);
}
