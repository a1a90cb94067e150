using Asya.Components.Abstractions;
using Asya.Components.RabbitMQ;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the RabbitMQ components.</summary>
public static class RabbitMqComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>pubsub.rabbitmq</c> factory (idempotent).</summary>
    public static IServiceCollection AddRabbitMqComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, RabbitMqTransportFactory>());
        return services;
    }
}
