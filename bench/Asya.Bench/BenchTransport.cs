using Asya.Bench.Brokers;
using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Bench;

/// <summary>A transport created through the same registry and factories the sidecar uses, with its services.</summary>
internal sealed class BenchTransport : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchTransport(ITransport transport, ServiceProvider services)
    {
        Transport = transport;
        _services = services;
    }

    public ITransport Transport { get; }

    public static async Task<BenchTransport> CreateAsync(BenchComponent component, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection().AddLogging().AddBuiltInComponents().BuildServiceProvider();
        var transport = await LoadedComponents.CreateAsync<ITransport>(
            services.GetRequiredService<ComponentRegistry>(), services, component.ToSpec(), cancellationToken);
        return new BenchTransport(transport, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await _services.DisposeAsync();
    }
}
