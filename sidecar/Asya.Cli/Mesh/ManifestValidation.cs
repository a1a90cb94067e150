using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Cli.Mesh;

/// <summary>
/// Loads manifests exactly as a sidecar would (the same <see cref="ComponentLoader"/>, <see cref="AppComponents"/>
/// and <see cref="DaprResiliencyReader"/>), but only checks: secret stores of files and the environment are read,
/// nothing else is connected. <c>asya components check</c> prints the result; <c>up</c>, <c>run</c> and
/// <c>manifests</c> refuse to go on when it has errors.
/// </summary>
internal static class ManifestValidation
{
    /// <summary>The option naming the transport component, as the sidecar calls it.</summary>
    public const string TransportOption = "--transport";

    public static ServiceProvider Services() =>
        new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBuiltInComponents().BuildServiceProvider();

    /// <summary>The check of one app; <paramref name="appId"/> empty means scopes are not applied and no transport is chosen.</summary>
    public static async Task<AppCheck> CheckAppAsync(
        IServiceProvider services,
        IReadOnlyList<string> paths,
        string appId,
        string? ns,
        string? transportName,
        bool crew,
        bool allowEmbedded,
        Func<string, string?> env,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(env);
        var loader = new ComponentLoader(
            services.GetRequiredService<ComponentRegistry>(),
            services,
            NullLogger<ComponentLoader>.Instance,
            new ComponentLoaderOptions { AppId = appId, Namespace = ns, PodName = ComponentLoaderOptions.PodNameFrom(env) });
        await using var components = new AppComponents(
            await loader.CheckAsync(paths, cancellationToken), new AppComponentsOptions { AllowEmbeddedDefault = allowEmbedded });
        var report = components.Loaded.Report;
        var problems = new List<string>();
        var notes = new CollectingLogger();
        string? transport = null;
        string? store = null;
        if (appId.Length > 0 && !report.HasErrors)
        {
            try
            {
                var chosen = components.ChooseTransport(transportName, TransportOption);
                transport = Describe(components, chosen);
                if (crew)
                {
                    store = Describe(components, components.ChooseResultStore(null, "--result-store"));
                }

                DaprResiliencyReader.Read(components.Loaded.OtherDocuments, appId, chosen.Name, notes);
            }
            catch (ComponentConfigurationException e)
            {
                problems.Add(e.Message);
            }
        }

        return new AppCheck(appId, report, problems, notes.Messages, transport, store);
    }

    /// <summary>
    /// Checks every app of <paramref name="mesh"/> (the crew and each actor); any error → a configuration error (exit 2)
    /// listing each once. Returns the distinct warnings.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CheckFolderAsync(
        MeshFolder mesh, IReadOnlyList<string> paths, bool allowEmbedded, Func<string, string?> env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (paths.Count == 0)
        {
            return [];
        }

        await using var services = Services();
        var errors = new List<string>();
        var warnings = new List<string>();
        var apps = new List<(string Id, string? Transport, bool Crew)> { (ActorNames.Sink, null, true), (ActorNames.Sump, null, false) };
        apps.AddRange(mesh.Actors.Select(a => (a.Name, a.Transport, false)));
        foreach (var (id, transportName, crew) in apps)
        {
            var check = await CheckAppAsync(services, paths, id, mesh.Namespace, transportName, crew, allowEmbedded, env, cancellationToken);
            errors.AddRange(check.Errors.Where(e => !errors.Contains(e)));
            warnings.AddRange(check.Warnings.Where(w => !warnings.Contains(w)));
        }

        if (errors.Count > 0)
        {
            throw CliException.Config(errors.Count == 1
                ? errors[0]
                : $"{errors.Count} manifest errors:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return warnings;
    }

    private static string Describe(AppComponents components, ComponentSpec chosen) =>
        components.IsEmbedded(chosen) ? $"{chosen.Type} (embedded default)" : $"{chosen.Name} ({chosen.Type})";
}
