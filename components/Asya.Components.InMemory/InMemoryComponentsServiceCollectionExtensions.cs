using Asya.Components.Abstractions;
using Asya.Components.InMemory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the process-local components.</summary>
public static class InMemoryComponentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <c>pubsub.in-memory</c> and <c>state.in-memory</c> factories (idempotent). They use an
    /// <see cref="InMemoryBroker"/> registered in DI, else <see cref="InMemoryBroker.Shared"/>.
    /// </summary>
    public static IServiceCollection AddInMemoryComponents(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, InMemoryTransportFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, InMemoryStateStoreFactory>());
        return services;
    }
}
