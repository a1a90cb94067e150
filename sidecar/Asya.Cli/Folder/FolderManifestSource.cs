using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;

namespace Asya.Cli.Folder;

/// <summary>
/// The documents <c>asya manifests</c> renders from a folder: its actors as AsyncActor documents (manifests as written,
/// plain handler files turned into one) and its Dapr Component documents. The folder is first loaded and checked
/// exactly as <c>asya up</c> does (<see cref="MeshFolderLoader"/>).
/// </summary>
internal sealed record FolderManifestSource(MeshFolder Mesh, IReadOnlyList<(JsonObject Document, string Where)> Actors, IReadOnlyList<JsonObject> Components)
{
    public static FolderManifestSource Load(string folder, string? defaultImage)
    {
        var mesh = MeshFolderLoader.Load(folder, forCluster: true);
        var manifests = new Dictionary<string, (JsonObject Document, string Where)>(StringComparer.Ordinal);
        var crew = new List<(JsonObject, string)>();
        var components = new List<JsonObject>();
        var files = Directory.EnumerateFiles(mesh.Root, "*.yaml").Concat(Directory.EnumerateFiles(mesh.Root, "*.yml"))
            .Where(p => !MeshFolderLoader.IsSettingsFile(p))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var shown = Path.IsPathRooted(folder) ? path : Path.Combine(folder, Path.GetRelativePath(mesh.Root, path));
            var documents = YamlFiles.Read(path, shown);
            foreach (var document in documents)
            {
                if (document.Root is not JsonObject obj)
                {
                    continue;
                }

                switch (Text(obj["kind"]))
                {
                    case AsyncActorReader.Kind:
                        var spec = obj["spec"] as JsonObject;
                        if (Text(spec?["builtin"]) is { Length: > 0 })
                        {
                            crew.Add((obj, document.Where(documents.Count)));
                        }
                        else
                        {
                            manifests[Text(spec?["actor"]) ?? Text(obj["metadata"]?["name"]) ?? string.Empty] = (obj, document.Where(documents.Count));
                        }

                        break;
                    case "Component":
                        components.Add(obj);
                        break;
                }
            }
        }

        var actors = new List<(JsonObject, string)>();
        foreach (var actor in mesh.Actors)
        {
            var (document, where) = manifests.TryGetValue(actor.Name, out var found)
                ? ((JsonObject)found.Document.DeepClone(), found.Where)
                : (new JsonObject
                {
                    ["apiVersion"] = AsyncActorReader.ApiVersion,
                    ["kind"] = AsyncActorReader.Kind,
                    ["metadata"] = new JsonObject { ["name"] = actor.Name },
                    ["spec"] = new JsonObject { ["handler"] = actor.Handler },
                }, actor.SourceFile);
            var spec = document["spec"] as JsonObject ?? [];
            document["spec"] = spec;
            if (Text(spec["image"]) is not { Length: > 0 })
            {
                spec["image"] = defaultImage ?? throw CliException.Usage(
                    $"{where}: spec.image: not set; give --image <runtime image> (an image holding the folder's handler modules, or use --embed-code)");
            }

            actors.Add((document, where));
        }

        actors.AddRange(crew);
        return new FolderManifestSource(mesh, actors, components);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
