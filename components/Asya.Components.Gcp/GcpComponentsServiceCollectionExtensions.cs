using Asya.Components.Abstractions;
using Asya.Components.Gcp;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Google Cloud components.</summary>
public static class GcpComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>pubsub.gcp.pubsub</c> factory (idempotent).</summary>
    public static IServiceCollection AddGcpComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, GcpTransportFactory>());
        return services;
    }
}
