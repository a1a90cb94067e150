using Asya.Cli.Folder;
using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Mesh;

/// <summary>
/// Opens the transport and result store of a folder the way its sidecars do: the folder's <c>pubsub.*</c> and
/// <c>state.*</c> components when it has them, else the embedded SQLite file <c>&lt;folder&gt;/.asya/asya.db</c>.
/// </summary>
internal static class MeshConnector
{
    public const string DatabaseFileName = "asya.db";

    /// <summary>Table of the embedded result store; must match the sidecar's embedded default.</summary>
    public const string ResultsTable = "asya_results";

    public static async Task<IMeshClient> ConnectAsync(MeshFolder mesh, string? transportName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        Directory.CreateDirectory(mesh.DataDir);
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new ComponentLoaderOptions
            {
                AppId = ActorNames.Sink,
                Namespace = mesh.Namespace,
                PodName = ComponentLoaderOptions.PodNameFrom(Environment.GetEnvironmentVariable),
            })
            .AddBuiltInComponents()
            .BuildServiceProvider();
        try
        {
            var registry = services.GetRequiredService<ComponentRegistry>();
            var database = Path.Combine(mesh.DataDir, DatabaseFileName);
            LoadedComponents? loaded = null;
            if (mesh.ResourcesPaths.Count > 0)
            {
                loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync(mesh.ResourcesPaths, cancellationToken);
            }

            var transportSpec = ComponentSelection.Choose(loaded, "pubsub.", transportName, ActorNames.Sink, "spec.transport", mesh.AllowEmbeddedDefault)
                ?? ComponentSpec.Create("asya-embedded", "pubsub.sqlite", ("connectionString", database));
            var stateSpec = ComponentSelection.Choose(loaded, "state.", null, ActorNames.Sink, "--result-store", mesh.AllowEmbeddedDefault)
                ?? ComponentSpec.Create("asya-results", "state.sqlite", ("connectionString", database), ("tableName", ResultsTable));
            var transport = loaded is not null && loaded.Find(transportSpec.Name) is not null
                ? await loaded.CreateAsync<ITransport>(transportSpec, cancellationToken)
                : await LoadedComponents.CreateAsync<ITransport>(registry, services, transportSpec, cancellationToken);
            var results = loaded is not null && loaded.Find(stateSpec.Name) is not null
                ? await loaded.CreateAsync<IStateStore>(stateSpec, cancellationToken)
                : await LoadedComponents.CreateAsync<IStateStore>(registry, services, stateSpec, cancellationToken);
            return new ComponentMeshClient(transport, results, new Owner(loaded, services));
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private sealed class Owner(LoadedComponents? loaded, ServiceProvider services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (loaded is not null)
            {
                await loaded.DisposeAsync();
            }

            await services.DisposeAsync();
        }
    }
}
