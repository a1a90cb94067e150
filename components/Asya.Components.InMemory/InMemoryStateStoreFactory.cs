using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>Creates <c>state.in-memory</c> stores on the DI's <see cref="InMemoryBroker"/> (or the shared one).</summary>
internal sealed class InMemoryStateStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["state.in-memory"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = [];

    public IComponent Create(IServiceProvider services) => new InMemoryStateStore(services.Broker(), services.TimeProvider());
}
