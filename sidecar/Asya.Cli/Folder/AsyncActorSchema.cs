using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Components;

namespace Asya.Cli.Folder;

/// <summary>
/// Rejects fields an AsyncActor manifest may not have, as the CRD's structural schema would in a cluster: the schema
/// is the CRD file itself (deploy/crds/asya.sh_asyncactors.yaml, embedded), so the two cannot drift. A typo gets the
/// nearest known field (<c>spec.resilency: unknown field; did you mean resiliency?</c>).
/// </summary>
internal static class AsyncActorSchema
{
    public const string ResourceName = "asya.sh_asyncactors.yaml";

    // The API server checks metadata against ObjectMeta, not against the CRD's schema (which only bounds name).
    private static readonly string[] ObjectMetaFields =
    [
        "name", "generateName", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers",
        "managedFields", "selfLink",
    ];

    private static readonly Lazy<JsonObject> Schema = new(Load);

    /// <summary>Throws a configuration error naming <paramref name="where"/>, the field path and the nearest known field.</summary>
    public static void Check(JsonObject document, string where)
    {
        ArgumentNullException.ThrowIfNull(document);
        Walk(document, Schema.Value, "", where);
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, string where)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"] is JsonValue preserve && preserve.TryGetValue<bool>(out var keep) && keep)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (key, value) in obj)
                {
                    var field = path.Length == 0 ? key : $"{path}.{key}";
                    if (path.Length == 0 && key == "metadata")
                    {
                        CheckMetadata(value as JsonObject, where);
                    }
                    else if (properties?[key] is JsonObject child)
                    {
                        Walk(value, child, field, where);
                    }
                    else if (additional is not null)
                    {
                        Walk(value, additional, field, where);
                    }
                    else if (properties is not null)
                    {
                        throw Unknown(where, field, key, properties.Select(p => p.Key));
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], items, $"{path}[{i}]", where);
                }

                break;
        }
    }

    private static void CheckMetadata(JsonObject? metadata, string where)
    {
        foreach (var (key, _) in metadata ?? [])
        {
            if (!ObjectMetaFields.Contains(key, StringComparer.Ordinal))
            {
                throw Unknown(where, "metadata." + key, key, ObjectMetaFields);
            }
        }
    }

    private static CliException Unknown(string where, string field, string key, IEnumerable<string> known)
    {
        var candidates = known.ToList();
        var hint = KeySuggester.Nearest(key, candidates) is { } nearest ? $"did you mean {nearest}?" : $"known: {string.Join(", ", candidates)}";
        return AsyncActorReader.Error(where, field, $"unknown field; {hint} (the AsyncActor CRD would reject it)");
    }

    private static JsonObject Load()
    {
        using var stream = typeof(AsyncActorSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        var set = YamlJson.Parse(reader.ReadToEnd(), ResourceName);
        var versions = set.Documents[0].Body?["spec"]?["versions"] as JsonArray ?? [];
        var version = versions.OfType<JsonObject>().First(v => v["name"]?.GetValue<string>() == AsyncActorReader.ApiVersion.Split('/')[1]);
        return version["schema"]?["openAPIV3Schema"] as JsonObject
            ?? throw new InvalidOperationException($"{ResourceName}: no openAPIV3Schema for {AsyncActorReader.ApiVersion}");
    }
}
