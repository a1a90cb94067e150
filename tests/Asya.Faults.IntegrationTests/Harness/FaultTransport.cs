using System.Globalization;
using Asya.Testing.Brokers;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>
/// Where a scenario's queues live: the embedded SQLite file (no manifest, the default) or a broker, selected the way
/// users select it, by a Dapr Component manifest in the sidecars' resources path. Results always go to the crew's
/// default result store, the SQLite file in the data folder, which is also where <c>asya result</c> reads them.
/// </summary>
internal sealed record FaultTransport(string Name, string? Manifest)
{
    public const string RabbitMqVariable = "ASYA_TEST_RABBITMQ";
    public const string RedisVariable = "ASYA_TEST_REDIS";

    public static FaultTransport Sqlite { get; } = new("sqlite", null);

    /// <summary>The shared RabbitMQ of ASYA_TEST_RABBITMQ (management API on the default port, for exact depths).</summary>
    public static FaultTransport SharedRabbitMq() =>
        RabbitMq(new BrokerEnvironment(RabbitMqVariable, "rabbitmq").RequireEndpoint(), 15672);

    public static FaultTransport SharedRedis() => Redis(new BrokerEnvironment(RedisVariable, "redis").RequireEndpoint());

    public static FaultTransport RabbitMq(string amqpUrl, int managementPort) => new("rabbitmq", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.rabbitmq
          version: v1
          metadata:
          - name: connectionString
            value: "{amqpUrl}"
          - name: managementUrl
            value: "http://guest:guest@127.0.0.1:{managementPort.ToString(CultureInfo.InvariantCulture)}"
          - name: reconnectWaitSeconds
            value: "1"
        """);

    public static FaultTransport Redis(string hostPort) => new("redis", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: "{hostPort}"
          - name: processingTimeout
            value: 10s
          - name: redeliverInterval
            value: 2s
        """);
}
