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
        var app = await AppComponents.LoadAsync(
            services.GetRequiredService<ComponentLoader>(),
            new AppComponentsOptions
            {
                ResourcesPaths = options.ResourcesPaths,
                DataDirectory = options.DataDirectory,
                AllowEmbeddedDefault = options.AllowEmbeddedDefault,
            },
            cancellationToken);
        try
        {
            var transportSpec = Choose(options, () => app.ChooseTransport(options.TransportComponent, "--transport (or ASYA_TRANSPORT_COMPONENT)"));
            var transport = await app.CreateAsync<ITransport>(transportSpec, cancellationToken);

            IStateStore? store = null;
            if (options.IsCrew)
            {
                var storeSpec = Choose(options, () => app.ChooseResultStore(options.ResultStoreComponent, "--result-store (or ASYA_RESULT_STORE)"));
                store = await app.CreateAsync<IStateStore>(storeSpec, cancellationToken);
            }

            var resiliency = ReadResiliency(options, app.Loaded, transportSpec.Name, services.GetService<ILoggerFactory>()?.CreateLogger("Asya.Sidecar.Resiliency"));
            return new SidecarComponents(transport, transportSpec.Type, store, resiliency) { Owner = app };
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static ResiliencySettings ReadResiliency(SidecarOptions options, LoadedComponents loaded, string transportName, ILogger? logger)
    {
        if (options.ResiliencyPoliciesJson is not null || options.ResiliencyRulesJson is not null || options.ActorTimeout is not null)
        {
            return ResiliencyParser.FromEnvironment(options.ResiliencyPoliciesJson, options.ResiliencyRulesJson, options.ActorTimeout);
        }

        return options.ResourcesPaths.Count == 0
            ? ResiliencySettings.None
            : DaprResiliencyReader.Read(loaded.OtherDocuments, options.Actor, transportName, logger) ?? ResiliencySettings.None;
    }

    private static ComponentSpec Choose(SidecarOptions options, Func<ComponentSpec> choose)
    {
        try
        {
            return choose();
        }
        catch (ComponentConfigurationException ex)
        {
            throw new ConfigurationException($"{ex.Message} ({Describe(options.ResourcesPaths)})");
        }
    }

    private static string Describe(IReadOnlyList<string> paths) =>
        paths.Count == 0 ? "the resources path (none given)" : "resources path " + string.Join(", ", paths.Select(p => $"'{p}'"));
}
