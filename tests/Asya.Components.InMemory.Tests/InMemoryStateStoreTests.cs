using Asya.Components.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryStateStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryBroker _broker = new();

    [Fact]
    public async Task Get_TtlPassed_ReturnsNull()
    {
        await using var store = await CreateAsync("results");
        await store.SetAsync(new StateSetRequest("k", new byte[] { 1 }) { Ttl = TimeSpan.FromSeconds(10) }, default);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), (await store.GetAsync("k", default))?.ExpiresAt);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await store.GetAsync("k", default));
    }

    [Fact]
    public async Task Stores_DifferentComponentNames_DoNotShareEntries()
    {
        await using var first = await CreateAsync("a");
        await using var second = await CreateAsync("b");

        await first.SetAsync(new StateSetRequest("k", new byte[] { 1 }), default);

        Assert.Null(await second.GetAsync("k", default));
    }

    private async Task<IStateStore> CreateAsync(string name)
    {
        var store = new InMemoryStateStore(_broker, _time);
        await store.InitAsync(ComponentSpec.Create(name, "state.in-memory"), default);
        return store;
    }
}
