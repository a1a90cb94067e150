using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Mesh.Client;

/// <summary>
/// Opens the transport and result store of a mesh the way its sidecars do (<see cref="AppComponents"/>, as x-sink loads
/// them): the manifests' <c>pubsub.*</c> and <c>state.*</c> components when there are any, else the embedded SQLite file
/// of the data directory.
/// </summary>
public static class MeshConnector
{
    /// <summary>
    /// Connects; <paramref name="transportName"/> names the default transport component (the first actor's
    /// <c>spec.transport</c>), null picks the only one; <see cref="MeshClientOptions.ActorTransports"/> route the queues
    /// of those actors through their own. Manifest and selection errors throw <see cref="ComponentConfigurationException"/>.
    /// </summary>
    public static async Task<IMeshClient> ConnectAsync(MeshClientOptions options, string? transportName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var services = new ServiceCollection()
            .AddLogging(logging => options.ConfigureLogging?.Invoke(logging))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new ComponentLoaderOptions
            {
                AppId = ActorNames.Sink,
                Namespace = options.Namespace,
                PodName = ComponentLoaderOptions.PodNameFrom(Environment.GetEnvironmentVariable),
            })
            .AddBuiltInComponents()
            .BuildServiceProvider();
        try
        {
            var components = await AppComponents.LoadAsync(
                services.GetRequiredService<ComponentLoader>(),
                new AppComponentsOptions
                {
                    ResourcesPaths = options.ResourcesPaths,
                    DataDirectory = options.DataDirectory,
                    AllowEmbeddedDefault = options.AllowEmbeddedDefault,
                },
                cancellationToken).ConfigureAwait(false);
            try
            {
                var ns = options.Namespace ?? ActorNames.DefaultNamespace;
                var byQueue = new Dictionary<string, ITransport>(StringComparer.Ordinal);
                foreach (var (actor, component) in options.ActorTransports)
                {
                    byQueue[ActorNames.Queue(ns, actor)] = await components.CreateAsync<ITransport>(
                        components.ChooseTransport(component, $"spec.transport of actor '{actor}'"), cancellationToken).ConfigureAwait(false);
                }

                // With actors on named transports the manifests may hold several, so no default can be chosen: that is
                // an error only for a queue that needs one.
                ITransport? fallback = null;
                ComponentConfigurationException? noFallback = null;
                try
                {
                    fallback = await components.CreateAsync<ITransport>(components.ChooseTransport(transportName, "spec.transport"), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (ComponentConfigurationException ex) when (byQueue.Count > 0)
                {
                    noFallback = ex;
                }

                var results = await components.CreateAsync<IStateStore>(components.ChooseResultStore(null, "--result-store"), cancellationToken)
                    .ConfigureAwait(false);
                return new ComponentMeshClient(
                    queue => byQueue.GetValueOrDefault(queue) ?? fallback ?? throw new ComponentConfigurationException(
                        $"no transport for queue {queue}: {noFallback!.Message}", noFallback),
                    results,
                    new Owner(components, services));
            }
            catch
            {
                await components.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Owner(AppComponents components, ServiceProvider services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await components.DisposeAsync().ConfigureAwait(false);
            await services.DisposeAsync().ConfigureAwait(false);
        }
    }
}
