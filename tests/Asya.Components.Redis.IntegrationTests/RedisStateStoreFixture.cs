using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>State stores on the test Redis.</summary>
public sealed class RedisStateStoreFixture : IStateStoreFixture
{
    public string NewKey() => "asya-test-state-" + Guid.NewGuid().ToString("N")[..12];

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new RedisStateStoreFactory().Create(new TestServices());
        await store.InitAsync(ComponentSpec.Create("results", "state.redis", ("redisHost", RedisTestEnvironment.RequireEndpoint())), default);
        return store;
    }
}
