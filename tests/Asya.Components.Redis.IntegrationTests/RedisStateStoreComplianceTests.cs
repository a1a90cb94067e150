using Asya.Components.Compliance;

namespace Asya.Components.Redis.IntegrationTests;

public sealed class RedisStateStoreComplianceTests(RedisStateStoreFixture fixture) : StateStoreCompliance<RedisStateStoreFixture>(fixture);
