using Asya.Testing.Brokers;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>
/// The test RabbitMQ: <c>ASYA_TEST_RABBITMQ</c> (an amqp:// URI), as printed by <c>deploy/local/services up rabbitmq</c>;
/// its management API is on <c>ASYA_TEST_RABBITMQ_MANAGEMENT</c>, by default port 15672 of the same host.
/// </summary>
internal static class RabbitMqTestEnvironment
{
    public static BrokerEnvironment Broker { get; } = new("ASYA_TEST_RABBITMQ", "rabbitmq");

    public static string RequireEndpoint() => Broker.RequireEndpoint();

    public static string ManagementUrl() =>
        Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ_MANAGEMENT") is { Length: > 0 } url
            ? url
            : $"http://{new Uri(RequireEndpoint()).Host}:15672";
}
