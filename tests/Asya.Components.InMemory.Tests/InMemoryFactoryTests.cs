using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryFactoryTests
{
    [Fact]
    public void AddInMemoryComponents_CalledTwice_RegistersBothFactoriesOnce()
    {
        var services = new ServiceCollection();

        services.AddInMemoryComponents().AddInMemoryComponents();

        var factories = services.Where(s => s.ServiceType == typeof(IComponentFactory)).Select(s => s.ImplementationType).ToList();
        Assert.Equal([typeof(InMemoryTransportFactory), typeof(InMemoryStateStoreFactory)], factories);
    }

    [Fact]
    public void Factories_Metadata_DescribeTypesVersionAndKeys()
    {
        var transport = new InMemoryTransportFactory();
        var state = new InMemoryStateStoreFactory();

        Assert.Equal(["pubsub.in-memory"], transport.Types);
        Assert.Equal(["state.in-memory"], state.Types);
        Assert.Equal("v1", transport.Version);
        Assert.Equal("v1", state.Version);
        Assert.Equal(["visibilityTimeout"], transport.MetadataKeys);
        Assert.Empty(state.MetadataKeys);
    }

    [Fact]
    public async Task Create_NoBrokerRegistered_UsesSharedBroker()
    {
        var queue = "shared-" + Guid.NewGuid().ToString("N");
        await using var sender = (ITransport)new InMemoryTransportFactory().Create(new TestServices());
        await using var receiver = new InMemoryTransport(InMemoryBroker.Shared, TimeProvider.System);
        await sender.InitAsync(ComponentSpec.Create("a", "pubsub.in-memory"), default);
        await receiver.InitAsync(ComponentSpec.Create("b", "pubsub.in-memory"), default);

        await sender.SendAsync(queue, new OutgoingMessage(new byte[] { 1 }), default);

        Assert.Single(await receiver.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
    }
}
