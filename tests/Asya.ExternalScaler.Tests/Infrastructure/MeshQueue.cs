using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.ExternalScaler.Tests.Infrastructure;

/// <summary>An actor's queue driven through the same transport type the scaler watches: what a sidecar would do.</summary>
internal sealed class MeshQueue : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MeshQueue(ServiceProvider services, ITransport transport, string queue)
    {
        _services = services;
        Transport = transport;
        Name = queue;
    }

    public ITransport Transport { get; }

    public string Name { get; }

    /// <param name="timeProvider">The sidecar's clock (delays are due by it); the system clock unless a test fakes time.</param>
    public static async Task<MeshQueue> OpenAsync(ComponentSpec spec, string queue, TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(timeProvider ?? TimeProvider.System).AddBuiltInComponents().BuildServiceProvider();
        var transport = await LoadedComponents.CreateAsync<ITransport>(services.GetRequiredService<ComponentRegistry>(), services, spec, default);
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(queue), default);
        }

        return new MeshQueue(services, transport, queue);
    }

    public async Task SendAsync(int count = 1, TimeSpan? delay = null)
    {
        for (var i = 0; i < count; i++)
        {
            await Transport.SendAsync(Name, new OutgoingMessage("{}"u8.ToArray()) { Delay = delay ?? TimeSpan.Zero }, default);
        }
    }

    /// <summary>Receives one message and holds it (in flight) until acked.</summary>
    public async Task<TransportMessage> ReceiveAsync()
    {
        var batch = await Transport.ReceiveAsync(Name, new ReceiveOptions(1, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)), default);
        return Assert.Single(batch);
    }

    public async Task DrainAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Transport.AckAsync(await ReceiveAsync(), default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await _services.DisposeAsync();
    }
}
