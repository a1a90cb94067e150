using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>Creates <c>pubsub.in-memory</c> transports on the DI's <see cref="InMemoryBroker"/> (or the shared one).</summary>
internal sealed class InMemoryTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.in-memory"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = [InMemoryTransport.VisibilityTimeoutKey];

    public IComponent Create(IServiceProvider services) => new InMemoryTransport(services.Broker(), services.TimeProvider());
}
