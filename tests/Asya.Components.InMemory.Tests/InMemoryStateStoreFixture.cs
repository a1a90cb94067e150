using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.InMemory.Tests;

/// <summary>Stores named alike on one private broker, so they share entries.</summary>
public sealed class InMemoryStateStoreFixture : IStateStoreFixture
{
    private readonly InMemoryBroker _broker = new();

    // Expiry follows this clock, so TTL cases never race the machine's speed.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public TimeProvider Clock => _clock;

    public Task PassTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new InMemoryStateStoreFactory().Create(new TestServices(_broker, _clock));
        await store.InitAsync(ComponentSpec.Create("results", "state.in-memory"), default);
        return store;
    }
}
