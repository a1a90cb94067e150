#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers every component type Asya ships.</summary>
public static class BuiltInComponentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the loader, registry and secret stores plus every transport and state store factory, so any manifest a
    /// team drops into the resources path loads the same way in the sidecar, the <c>asya</c> command and the scaler.
    /// </summary>
    public static IServiceCollection AddBuiltInComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // One line per component package; keep them in the order of the csproj references.
        return services
            .AddAsyaComponents()
            .AddInMemoryComponents()
            .AddSqliteComponents()
            .AddRedisComponents()
            .AddPostgreSqlComponents()
            .AddAwsComponents()
            .AddGcpComponents()
            .AddRabbitMqComponents()
            .AddKubernetesComponents();
    }
}
