using Asya.Components.Abstractions;
using Asya.Components.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded SQLite components.</summary>
public static class SqliteComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>pubsub.sqlite</c> and <c>state.sqlite</c> factories (idempotent).</summary>
    public static IServiceCollection AddSqliteComponents(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, SqliteTransportFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, SqliteStateStoreFactory>());
        return services;
    }
}
