using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Crew;

/// <summary>
/// What x-pause stores with a checkpoint and reports to the gateway: <c>{"prompt", "fields": [{"name", "type",
/// "payload_key"?, "required"?}]}</c> (upstream's shape, docs in the sidecar README), from header
/// <c>x-asya-pause-metadata</c>, else <c>--pause-metadata</c>.
/// </summary>
internal static class PauseMetadata
{
    /// <summary>Upstream's default when neither the envelope nor the configuration gives one.</summary>
    public const string Default = """{"prompt":"Task paused","fields":[]}""";

    /// <summary>True when <paramref name="json"/> is a JSON object.</summary>
    public static bool IsObject(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: ProtocolJson.DocumentOptions) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The envelope's metadata (an object, or a string holding one) when it has usable metadata, else <paramref name="configured"/>.</summary>
    public static JsonObject For(Envelope envelope, string configured)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        switch (envelope.Headers?[MeshHeaders.PauseMetadata])
        {
            case JsonObject metadata:
                return metadata.DeepClone().AsObject();
            case JsonValue value when value.TryGetValue<string>(out var text) && IsObject(text):
                return JsonNode.Parse(text, documentOptions: ProtocolJson.DocumentOptions)!.AsObject();
            default:
                return JsonNode.Parse(configured, documentOptions: ProtocolJson.DocumentOptions)!.AsObject();
        }
    }

    /// <summary>The prompt a person is shown, or null.</summary>
    public static string? Prompt(JsonObject metadata) =>
        metadata["prompt"] is JsonValue value && value.TryGetValue<string>(out var prompt) ? prompt : null;

    /// <summary>Each field's input name and the payload path (<c>/a/b</c>) its value is written to, for fields that map one.</summary>
    public static IReadOnlyList<(string Name, string PayloadKey)> Mappings(JsonObject metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var mappings = new List<(string, string)>();
        if (metadata["fields"] is not JsonArray fields)
        {
            return mappings;
        }

        foreach (var field in fields.OfType<JsonObject>())
        {
            if (field["name"] is JsonValue name && name.TryGetValue<string>(out var n) && n.Length > 0
                && field["payload_key"] is JsonValue key && key.TryGetValue<string>(out var k) && k.Length > 0)
            {
                mappings.Add((n, k));
            }
        }

        return mappings;
    }
}
