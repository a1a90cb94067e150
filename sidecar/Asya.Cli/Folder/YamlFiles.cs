using System.Globalization;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Asya.Cli.Folder;

/// <summary>
/// Reads YAML files into JSON nodes with YAML 1.2 core-schema scalars: plain <c>true/false</c>, <c>null</c>/<c>~</c>,
/// integers and floats become JSON values; quoted scalars stay strings.
/// </summary>
internal static class YamlFiles
{
    public static IReadOnlyList<YamlDocument> Read(string path, string shownPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw CliException.Config($"{shownPath}: cannot read: {ex.Message}");
        }

        return Parse(text, shownPath);
    }

    public static IReadOnlyList<YamlDocument> Parse(string text, string shownPath)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw CliException.Config($"{shownPath}:{ex.Start.Line}: invalid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }

        var documents = new List<YamlDocument>(stream.Documents.Count);
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var root = stream.Documents[i].RootNode;
            documents.Add(new YamlDocument(shownPath, i, (int)root.Start.Line, ToJson(root)));
        }

        return documents;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => null,
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : key.ToString();
            obj[name] = ToJson(value);
        }

        return obj;
    }

    private static JsonValue JsonNumber(string json) => (JsonValue)JsonNode.Parse(json)!;

    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        // Numbers are JSON-backed (as if parsed from JSON text), so readers may ask for int, long or double alike.
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonNumber(integer.ToString(CultureInfo.InvariantCulture));
        }

        if (value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonNumber(real.ToString("R", CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }
}
