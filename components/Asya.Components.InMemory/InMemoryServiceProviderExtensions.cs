using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.InMemory;

internal static class InMemoryServiceProviderExtensions
{
    public static InMemoryBroker Broker(this IServiceProvider services) =>
        services.GetService<InMemoryBroker>() ?? InMemoryBroker.Shared;
}
