using System.Text;
using Asya.Components.Abstractions;
using StackExchange.Redis;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>Dapr's storage layout, so state written by a Dapr sidecar reads back here and the other way round.</summary>
public sealed class RedisStateStoreTests(RedisTransportFixture redis) : IClassFixture<RedisTransportFixture>
{
    private readonly RedisStateStoreFixture _stores = new();

    [Fact]
    public async Task Get_HashWrittenByDapr_ReturnsDataWithVersionAsETag()
    {
        var admin = await redis.AdminAsync();
        var key = _stores.NewKey();
        await admin.HashSetAsync(key, [new HashEntry("data", "\"hello\""), new HashEntry("version", 7)]);
        await using var store = await _stores.CreateStateStoreAsync();

        var entry = await store.GetAsync(key, default);
        var next = await store.SetAsync(new StateSetRequest(key, Encoding.UTF8.GetBytes("\"bye\"")) { ETag = "7" }, default);

        Assert.Equal("\"hello\"", Encoding.UTF8.GetString(entry!.Value.Span));
        Assert.Equal("7", entry.ETag);
        Assert.Equal("8", next);
        Assert.Equal("8", (string?)await admin.HashGetAsync(key, "version"));
        Assert.Equal("\"bye\"", (string?)await admin.HashGetAsync(key, "data"));
    }

    [Fact]
    public async Task Set_NonNumericETag_ThrowsMismatch()
    {
        await using var store = await _stores.CreateStateStoreAsync();
        var key = _stores.NewKey();
        await store.SetAsync(new StateSetRequest(key, new byte[] { 1 }), default);

        await Assert.ThrowsAsync<ETagMismatchException>(
            async () => await store.SetAsync(new StateSetRequest(key, new byte[] { 2 }) { ETag = "not-a-version" }, default));
    }

    [Fact]
    public async Task Set_ComponentTtlInSeconds_AppliesWhenRequestHasNone()
    {
        var store = (IStateStore)new RedisStateStoreFactory().Create(new TestServices());
        await using (store)
        {
            await store.InitAsync(ComponentSpec.Create(
                "results", "state.redis", ("redisHost", RedisTestEnvironment.RequireEndpoint()), ("ttlInSeconds", "3600")), default);
            var key = _stores.NewKey();

            await store.SetAsync(new StateSetRequest(key, new byte[] { 1 }), default);

            var ttl = await (await redis.AdminAsync()).KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        }
    }
}
