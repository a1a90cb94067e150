using Asya.Testing.Brokers;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>The test Redis: <c>ASYA_TEST_REDIS</c> (host:port), as printed by <c>deploy/local/services up redis</c>.</summary>
internal static class RedisTestEnvironment
{
    public static BrokerEnvironment Broker { get; } = new("ASYA_TEST_REDIS", "redis");

    public static string RequireEndpoint() => Broker.RequireEndpoint();
}
