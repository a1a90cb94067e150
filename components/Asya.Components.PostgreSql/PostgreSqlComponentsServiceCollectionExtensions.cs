using Asya.Components.Abstractions;
using Asya.Components.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the PostgreSQL components.</summary>
public static class PostgreSqlComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>state.postgresql</c> factory (idempotent).</summary>
    public static IServiceCollection AddPostgreSqlComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, PostgreSqlStateStoreFactory>());
        return services;
    }
}
