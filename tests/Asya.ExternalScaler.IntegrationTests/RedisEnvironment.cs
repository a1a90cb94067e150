using Asya.Components.Abstractions;
using Asya.Testing.Brokers;

namespace Asya.ExternalScaler.IntegrationTests;

internal static class RedisEnvironment
{
    /// <summary>The shared test Redis (<c>ASYA_TEST_REDIS</c>); never stopped by these tests.</summary>
    public static BrokerEnvironment Shared { get; } = new("ASYA_TEST_REDIS", "redis");

    public static ComponentSpec Spec(string name, string host) =>
        ComponentSpec.Create(name, "pubsub.redis", ("redisHost", host), ("dialTimeout", "1s"));

    public static string Manifest(string name, string host) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{host}"
          - name: dialTimeout
            value: "1s"
        """;
}
