using Asya.Components;
using Asya.Components.PostgreSql;
using Asya.Gateway.Configuration;
using Asya.Gateway.Tasks;
using Asya.Gateway.Tasks.PostgreSql;
using Asya.Gateway.Tasks.Sqlite;
using Asya.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Hosting;

/// <summary>
/// Where tasks live and how their events reach every replica: the embedded SQLite file of the data dir with in-process
/// events (one replica), or the <c>state.postgresql</c> component <c>--task-store</c> names, with events over
/// <c>LISTEN/NOTIFY</c> (several replicas). Disposing closes both.
/// </summary>
internal sealed record TaskBackend(ITaskStore Store, ITaskEventHub Hub) : IAsyncDisposable
{
    /// <summary>The app id manifests are scoped by (Dapr <c>scopes</c>).</summary>
    public const string AppId = "asya-gateway";

    public static async Task<TaskBackend> OpenAsync(GatewayOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger("Asya.Gateway.Tasks");
        if (options.TaskStore is not { } name)
        {
            var sqlite = await SqliteTaskStore.OpenInDirectoryAsync(options.DataDirectory, time, logger, cancellationToken).ConfigureAwait(false);
            return new TaskBackend(sqlite, new InMemoryTaskEventHub(recentFly: new RecentFlyEvents(time)));
        }

        var connection = PostgreSqlComponentConnection.Read(await FindAsync(options, name, loggers, cancellationToken).ConfigureAwait(false));
        var store = await PostgreSqlTaskStore.OpenAsync(connection, time, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            return new TaskBackend(store, await PostgreSqlTaskEventHub.StartAsync(connection, logger, cancellationToken, clock: time).ConfigureAwait(false));
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The manifest <paramref name="name"/> of the resources path, loaded as the sidecars load theirs (secrets resolved).</summary>
    private static async Task<Components.Abstractions.ComponentSpec> FindAsync(
        GatewayOptions options, string name, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await using var services = new ServiceCollection()
            .AddSingleton(loggers)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new ComponentLoaderOptions
            {
                AppId = AppId,
                Namespace = options.Namespace,
                PodName = ComponentLoaderOptions.PodNameFrom(Environment.GetEnvironmentVariable),
            })
            .AddBuiltInComponents()
            .BuildServiceProvider();
        await using var loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync(options.ResourcesPaths, cancellationToken).ConfigureAwait(false);
        var spec = loaded.Find(name) ?? throw new ConfigurationException(
            $"--task-store (or ASYA_GATEWAY_TASK_STORE): no component '{name}' is loaded for app {AppId} from --resources-path " +
            $"({(options.ResourcesPaths.Count == 0 ? "none given" : string.Join(", ", options.ResourcesPaths))})");
        return spec.Type == "state.postgresql"
            ? spec
            : throw new ConfigurationException($"--task-store (or ASYA_GATEWAY_TASK_STORE): component '{name}' is {spec.Type}; the task store is a state.postgresql component");
    }
}
