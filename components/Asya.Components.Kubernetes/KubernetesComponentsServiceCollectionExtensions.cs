using Asya.Components.Abstractions;
using Asya.Components.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Kubernetes components.</summary>
public static class KubernetesComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>secretstores.kubernetes</c> factory (idempotent).</summary>
    public static IServiceCollection AddKubernetesComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, KubernetesSecretStoreFactory>());
        return services;
    }
}
