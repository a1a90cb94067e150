using Asya.Components.Compliance;

namespace Asya.Components.Redis.IntegrationTests;

public sealed class RedisTransportComplianceTests(RedisTransportFixture fixture) : TransportCompliance<RedisTransportFixture>(fixture);
