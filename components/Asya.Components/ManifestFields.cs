using System.Text.Json;
using System.Text.Json.Nodes;

namespace Asya.Components;

/// <summary>
/// Field access on manifest documents the way daprd decodes them: Go's JSON decoder matches struct fields exactly first,
/// then case-insensitively, so <c>auth.secretstore</c> and <c>spec.initTimeOut</c> mean the same as the documented spelling.
/// </summary>
public static class ManifestFields
{
    /// <summary>The value of <paramref name="name"/> in <paramref name="node"/>, exact spelling first, else any casing.</summary>
    public static JsonNode? Get(JsonNode? node, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (node is not JsonObject obj)
        {
            return null;
        }

        if (obj.TryGetPropertyValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The value at a dotted <paramref name="path"/> such as <c>spec.type</c>.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var part in path.Split('.'))
        {
            node = Get(node, part);
        }

        return node;
    }

    /// <summary>A scalar as text (strings unquoted, numbers and booleans as written); null for missing or non-scalar.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
