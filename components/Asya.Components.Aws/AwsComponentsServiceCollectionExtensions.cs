using Asya.Components.Abstractions;
using Asya.Components.Aws;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // extension methods on IServiceCollection live in its namespace, by convention
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the AWS components.</summary>
public static class AwsComponentsServiceCollectionExtensions
{
    /// <summary>Adds the <c>pubsub.aws.snssqs</c> and <c>bindings.aws.sqs</c> factories (idempotent).</summary>
    public static IServiceCollection AddAwsComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, SnsSqsTransportFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComponentFactory, SqsBindingTransportFactory>());
        return services;
    }
}
