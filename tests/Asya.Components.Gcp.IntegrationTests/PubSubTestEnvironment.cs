using Asya.Testing.Brokers;

namespace Asya.Components.Gcp.IntegrationTests;

/// <summary>The test emulator: <c>ASYA_TEST_PUBSUB</c> (host:port), as printed by <c>deploy/local/services up pubsub</c>.</summary>
internal static class PubSubTestEnvironment
{
    public const string Project = "asya-test";

    public static BrokerEnvironment Broker { get; } = new("ASYA_TEST_PUBSUB", "pubsub");

    public static string RequireEndpoint() => Broker.RequireEndpoint();
}
