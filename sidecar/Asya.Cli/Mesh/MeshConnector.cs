using Asya.Cli.Folder;
using Asya.Components;
using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Mesh;

/// <summary>
/// Opens the transport and result store of a folder the way its sidecars do (<see cref="AppComponents"/>): the
/// folder's <c>pubsub.*</c> and <c>state.*</c> components when it has them, else the embedded SQLite file
/// <c>&lt;folder&gt;/.asya/asya.db</c>.
/// </summary>
internal static class MeshConnector
{
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
            var components = await AppComponents.LoadAsync(
                services.GetRequiredService<ComponentLoader>(),
                new AppComponentsOptions
                {
                    ResourcesPaths = mesh.ResourcesPaths,
                    DataDirectory = mesh.DataDir,
                    AllowEmbeddedDefault = mesh.AllowEmbeddedDefault,
                },
                cancellationToken);
            try
            {
                var transport = await components.CreateAsync<ITransport>(components.ChooseTransport(transportName, "spec.transport"), cancellationToken);
                var results = await components.CreateAsync<IStateStore>(components.ChooseResultStore(null, "--result-store"), cancellationToken);
                return new ComponentMeshClient(transport, results, new Owner(components, services));
            }
            catch
            {
                await components.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private sealed class Owner(AppComponents components, ServiceProvider services) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await components.DisposeAsync();
            await services.DisposeAsync();
        }
    }
}
