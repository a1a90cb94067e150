using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Components.SecretStores;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the component registry, the loader and the local secret stores.</summary>
public static class AsyaComponentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ComponentRegistry"/> (built from every registered <see cref="IComponentFactory"/>),
    /// <see cref="ComponentLoader"/> and the <c>secretstores.local.env</c>/<c>secretstores.local.file</c> factories.
    /// The caller registers a <see cref="ComponentLoaderOptions"/> and logging.
    /// </summary>
    public static IServiceCollection AddAsyaComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, LocalEnvSecretStoreFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, LocalFileSecretStoreFactory>());
        services.TryAddSingleton(sp => new ComponentRegistry(sp.GetServices<IComponentFactory>()));
        services.TryAddSingleton<ComponentLoader>();
        return services;
    }
}
