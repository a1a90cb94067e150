using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.Abstractions;

/// <summary>
/// What component factories take from the host's services. Both fall back to defaults, so a component also works
/// from a bare <see cref="IServiceProvider"/> (tests, tools) without logging or a clock registered.
/// </summary>
public static class ComponentServiceProviderExtensions
{
    /// <summary>The host's <see cref="System.TimeProvider"/>, else the system clock.</summary>
    public static TimeProvider TimeProvider(this IServiceProvider services) =>
        services.GetService<TimeProvider>() ?? System.TimeProvider.System;

    /// <summary>A logger from the host's <see cref="ILoggerFactory"/>, else a logger that drops everything.</summary>
    public static ILogger<T> Logger<T>(this IServiceProvider services) =>
        services.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
