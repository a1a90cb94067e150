using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.InMemory.Tests;

/// <summary>Stores named alike on one private broker, so they share entries.</summary>
public sealed class InMemoryStateStoreFixture : IStateStoreFixture
{
    private readonly InMemoryBroker _broker = new();

    public async Task<IStateStore> CreateStateStoreAsync()
    {
        var store = (IStateStore)new InMemoryStateStoreFactory().Create(new TestServices(_broker));
        await store.InitAsync(ComponentSpec.Create("results", "state.in-memory"), default);
        return store;
    }
}
