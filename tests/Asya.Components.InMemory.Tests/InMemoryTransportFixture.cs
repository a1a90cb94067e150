using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.InMemory.Tests;

/// <summary>Transports on one private broker (their shared "storage"), built through the factory.</summary>
public sealed class InMemoryTransportFixture : ITransportFixture
{
    private readonly InMemoryBroker _broker = new();

    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromMilliseconds(200);

    public async Task<ITransport> CreateTransportAsync()
    {
        var transport = (ITransport)new InMemoryTransportFactory().Create(new TestServices(_broker));
        await transport.InitAsync(ComponentSpec.Create("queues", "pubsub.in-memory", ("visibilityTimeout", "200ms")), default);
        return transport;
    }
}
