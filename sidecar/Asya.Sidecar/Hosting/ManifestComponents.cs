using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Components.Resiliency;
using Asya.Hosting;
using Asya.Sidecar.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Hosting;

/// <summary>Production components: Dapr-style manifests from the resources path, else the embedded SQLite defaults.</summary>
internal static class ManifestComponents
{
    public static async Task<SidecarComponents> CreateAsync(SidecarOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var registry = services.GetRequiredService<ComponentRegistry>();
        var owned = new OwnedComponents();
        try
        {
            LoadedComponents? loaded = null;
            if (options.ResourcesPaths.Count > 0)
            {
                loaded = await services.GetRequiredService<ComponentLoader>().LoadAsync(options.ResourcesPaths, cancellationToken);
                owned.Add(loaded);
            }

            var transportSpec = Choose(loaded, options, "pubsub.", options.TransportComponent, "--transport (or ASYA_TRANSPORT_COMPONENT)")
                ?? EmbeddedComponents.Transport(options.DataDirectory);
            var transport = await CreateAsync<ITransport>(loaded, registry, services, transportSpec, owned, cancellationToken);

            IStateStore? store = null;
            if (options.IsCrew)
            {
                var storeSpec = Choose(loaded, options, "state.", options.ResultStoreComponent, "--result-store (or ASYA_RESULT_STORE)")
                    ?? EmbeddedComponents.ResultStore(options.DataDirectory);
                store = await CreateAsync<IStateStore>(loaded, registry, services, storeSpec, owned, cancellationToken);
            }

            var resiliency = ReadResiliency(options, loaded, transportSpec.Name, services.GetService<ILoggerFactory>()?.CreateLogger("Asya.Sidecar.Resiliency"));
            return new SidecarComponents(transport, transportSpec.Type, store, resiliency) { Owner = owned };
        }
        catch
        {
            await owned.DisposeAsync();
            throw;
        }
    }

    private static ResiliencySettings ReadResiliency(SidecarOptions options, LoadedComponents? loaded, string transportName, ILogger? logger)
    {
        if (options.ResiliencyPoliciesJson is not null || options.ResiliencyRulesJson is not null || options.ActorTimeout is not null)
        {
            return ResiliencyParser.FromEnvironment(options.ResiliencyPoliciesJson, options.ResiliencyRulesJson, options.ActorTimeout);
        }

        return loaded is null
            ? ResiliencySettings.None
            : DaprResiliencyReader.Read(loaded.OtherDocuments, options.Actor, transportName, logger) ?? ResiliencySettings.None;
    }

    private static ComponentSpec? Choose(LoadedComponents? loaded, SidecarOptions options, string category, string? name, string flag)
    {
        try
        {
            return ComponentSelection.Choose(loaded, category, name, options.Actor, flag, options.AllowEmbeddedDefault);
        }
        catch (ComponentConfigurationException ex)
        {
            throw new ConfigurationException($"{ex.Message} ({Describe(options.ResourcesPaths)})");
        }
    }

    private static async Task<T> CreateAsync<T>(
        LoadedComponents? loaded, ComponentRegistry registry, IServiceProvider services, ComponentSpec spec, OwnedComponents owned, CancellationToken cancellationToken)
        where T : class, IComponent
    {
        if (loaded is not null && loaded.Specs.Contains(spec))
        {
            return await loaded.CreateAsync<T>(spec, cancellationToken);
        }

        var component = await LoadedComponents.CreateAsync<T>(registry, services, spec, cancellationToken);
        owned.Add(component);
        return component;
    }

    private static string Describe(IReadOnlyList<string> paths) =>
        paths.Count == 0 ? "the resources path (none given)" : "resources path " + string.Join(", ", paths.Select(p => $"'{p}'"));

    /// <summary>Disposes what startup created, last first.</summary>
    private sealed class OwnedComponents : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _items = [];

        public void Add(IAsyncDisposable item) => _items.Add(item);

        public async ValueTask DisposeAsync()
        {
            for (var i = _items.Count - 1; i >= 0; i--)
            {
                await _items[i].DisposeAsync();
            }

            _items.Clear();
        }
    }
}
