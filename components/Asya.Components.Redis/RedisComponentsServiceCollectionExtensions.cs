using Asya.Components.Abstractions;
using Asya.Components.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Redis components.</summary>
public static class RedisComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>pubsub.redis</c> and <c>state.redis</c> factories (idempotent).</summary>
    public static IServiceCollection AddRedisComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, RedisTransportFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, RedisStateStoreFactory>());
        return services;
    }
}
