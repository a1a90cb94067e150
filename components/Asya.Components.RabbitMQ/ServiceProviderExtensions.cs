using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.RabbitMQ;

internal static class ServiceProviderExtensions
{
    public static TimeProvider TimeProvider(this IServiceProvider services) =>
        services.GetService<TimeProvider>() ?? System.TimeProvider.System;

    public static ILogger<T> Logger<T>(this IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
