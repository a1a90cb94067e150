using System.Text.Json;
using System.Text.Json.Serialization;

namespace Asya.Components.Abstractions;

/// <summary>
/// A map of strings (message headers, queue attributes) as the JSON object of strings the transports keep beside a body;
/// source-generated, so a NativeAOT sidecar reads and writes them without reflection. Same text as
/// <see cref="JsonSerializer"/>'s defaults.
/// </summary>
public static class StringMapJson
{
    /// <summary>The map as a JSON object of strings.</summary>
    public static string Serialize(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(map, StringMapJsonContext.Default.IReadOnlyDictionaryStringString);

    /// <summary>Names as a JSON array of strings.</summary>
    public static string Serialize(string[] names) => JsonSerializer.Serialize(names, StringMapJsonContext.Default.StringArray);

    /// <summary>A JSON object of strings; null for the JSON literal <c>null</c>. Throws <see cref="JsonException"/> for anything else.</summary>
    public static Dictionary<string, string>? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StringMapJsonContext.Default.DictionaryStringString);
}

[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StringMapJsonContext : JsonSerializerContext;
