using System.Text.Json.Nodes;
using Asya.Components;

namespace Asya.Deploy.Tests;

/// <summary>Reads YAML files and kubectl output into JSON objects, failing with the file and line on bad YAML.</summary>
internal static class YamlDocuments
{
    public static IReadOnlyList<JsonObject> Parse(string yaml, string source)
    {
        var set = YamlJson.Parse(yaml, source);
        if (set.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, set.Diagnostics));
        }

        return [.. set.Documents.Select(d => d.Body)];
    }

    public static JsonObject ParseSingle(string path)
    {
        var documents = Parse(File.ReadAllText(path), path);
        return documents.Count == 1 ? documents[0] : throw new InvalidOperationException($"{path}: expected one YAML document, found {documents.Count}");
    }

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
