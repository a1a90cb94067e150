using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.InMemory;

internal static class ServiceProviderExtensions
{
    public static TimeProvider TimeProvider(this IServiceProvider services) =>
        services.GetService<TimeProvider>() ?? System.TimeProvider.System;

    public static InMemoryBroker Broker(this IServiceProvider services) =>
        services.GetService<InMemoryBroker>() ?? InMemoryBroker.Shared;
}
