using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Gateway.Flows;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Folder;

/// <summary>
/// Loads a folder for <c>asya up</c>: <c>AsyncActor</c> manifests (<c>*.yaml</c>/<c>*.yml</c>, files by name),
/// plain handler files (<see cref="HandlerFileScanner"/>), Dapr <c>Component</c> and <c>Resiliency</c> manifests (the
/// folder becomes the resources path), the optional <c>asya.yaml</c> and the flows (<c>flows.yaml</c> or <c>flows:</c> in
/// <c>asya.yaml</c>, read by the gateway's own reader). Other kinds are left to their own loaders.
/// </summary>
internal static class MeshFolderLoader
{
    /// <param name="folder">The folder.</param>
    /// <param name="forCluster">
    /// For <c>asya manifests</c>: a manifest whose handler module is not in the folder is fine when its <c>spec.image</c>
    /// carries the code (a note instead of an error).
    /// </param>
    public static MeshFolder Load(string folder, bool forCluster = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw CliException.Config($"{folder}: no such folder");
        }

        string Show(string path) => ShowPath(folder, root, path);

        var settings = FolderSettingsReader.Read(root, Show);
        var actors = new List<ActorDefinition>();
        var hasComponents = false;
        var readerNotes = new List<string>();
        var yamlFiles = Directory.EnumerateFiles(root, "*.yaml").Concat(Directory.EnumerateFiles(root, "*.yml"))
            .Where(p => !IsSettingsFile(p))
            .Order(StringComparer.Ordinal);
        foreach (var path in yamlFiles)
        {
            var documents = YamlFiles.Read(path, Show(path));
            foreach (var document in documents)
            {
                if (document.Root is null)
                {
                    continue;
                }

                var where = document.Where(documents.Count);
                if (document.Root is not JsonObject obj)
                {
                    throw CliException.Config($"{where}: expected a manifest (a mapping with apiVersion, kind, metadata, spec)");
                }

                var kind = obj["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
                switch (kind)
                {
                    case null:
                        throw CliException.Config($"{where}: kind: missing; expected AsyncActor or a Dapr Component");
                    case AsyncActorReader.Kind:
                        if (AsyncActorReader.Read(obj, where, root, forCluster ? readerNotes : null) is { } actor)
                        {
                            if (actors.FirstOrDefault(a => a.Name == actor.Name) is { } other)
                            {
                                throw CliException.Config($"{where}: actor '{actor.Name}' is also defined in {other.SourceFile}");
                            }

                            actors.Add(actor);
                        }

                        break;
                    case "Component" or "Resiliency":
                        // Dapr documents: the sidecars read them from the resources path (Resiliency applies when an
                        // actor's manifest has no spec.resiliency).
                        hasComponents = true;
                        break;
                }
            }
        }

        var manifestModules = actors.Select(a => a.Handler[..a.Handler.IndexOf('.', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        var (fileActors, notes) = HandlerFileScanner.Scan(root, manifestModules, Show);
        foreach (var actor in fileActors)
        {
            if (actors.FirstOrDefault(a => a.Name == actor.Name) is { } other)
            {
                throw CliException.Config($"{actor.SourceFile}: actor '{actor.Name}' is also defined in {other.SourceFile}; rename the file or drop one of them");
            }

            actors.Add(actor);
        }

        if (actors.Count == 0)
        {
            throw CliException.Config($"{folder}: no actors found (add AsyncActor manifests or Python files defining handle())");
        }

        var route = settings.Route ?? [.. actors.Select(a => a.Name)];
        if (settings.Route is not null)
        {
            for (var i = 0; i < route.Count; i++)
            {
                if (actors.All(a => a.Name != route[i]))
                {
                    throw CliException.Config($"{settings.SourceFile}: route[{i}]: '{route[i]}' is not an actor of this folder (actors: {string.Join(", ", actors.Select(a => a.Name))})");
                }
            }
        }

        return new MeshFolder(root, settings.Namespace, actors, route, hasComponents ? [root] : [])
        {
            Notes = [.. readerNotes, .. notes],
            Flows = ReadFlows(root),
        };
    }

    /// <summary>
    /// Validates a route given on the command line against the folder's actors.
    /// </summary>
    public static IReadOnlyList<string> ParseRoute(string text, MeshFolder mesh)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(mesh);
        var route = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (route.Length == 0)
        {
            throw CliException.Usage("--route: give actor names separated by commas, e.g. --route validate,judge");
        }

        foreach (var actor in route)
        {
            if (ActorNames.IsCrew(actor))
            {
                throw CliException.Usage($"--route: '{actor}' is a crew actor and may not appear in a route");
            }

            if (mesh.Find(actor) is null)
            {
                throw CliException.Usage($"--route: '{actor}' is not an actor of this folder (actors: {string.Join(", ", mesh.Actors.Select(a => a.Name))})");
            }
        }

        return route;
    }

    /// <summary>asya.yaml and flows.yaml: settings of the folder, not manifests.</summary>
    public static bool IsSettingsFile(string path) => FlowsReader.FileNames.Contains(Path.GetFileName(path));

    // The gateway's reader, so the folder's flows mean the same to asya up, asya call and the gateway it starts.
    private static FlowSet ReadFlows(string root)
    {
        try
        {
            return FlowsReader.Read(root);
        }
        catch (FlowsFileException ex)
        {
            throw CliException.Config(ex.Message);
        }
    }

    /// <summary>A file path as the user would write it: relative to where they are when the folder was given relatively.</summary>
    private static string ShowPath(string given, string root, string path) =>
        Path.IsPathRooted(given) ? path : Path.Combine(given, Path.GetRelativePath(root, path));
}
