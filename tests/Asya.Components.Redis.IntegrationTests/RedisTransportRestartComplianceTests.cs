using Asya.Components.Compliance;

namespace Asya.Components.Redis.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisRestartGroup
{
    public const string Name = "Redis restarts";
}

/// <summary>Restarts the test Redis, so it runs alone, after the parallel classes.</summary>
[Collection(RedisRestartGroup.Name)]
public sealed class RedisTransportRestartComplianceTests(RedisTransportFixture fixture) : TransportRestartCompliance<RedisTransportFixture>(fixture);
