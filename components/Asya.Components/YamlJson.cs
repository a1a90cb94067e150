using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Asya.Components;

/// <summary>
/// Turns YAML text into JSON documents. Quoted and block scalars stay strings; plain scalars become numbers, booleans
/// or null where the YAML 1.2 core schema says so (<c>10</c>, <c>1.5</c>, <c>true</c>, <c>null</c>, <c>~</c>), else
/// strings. Numbers keep their literal text (<c>1.50</c> stays <c>1.50</c>) when it is valid JSON.
/// </summary>
public static partial class YamlJson
{
    private const string StrTag = "tag:yaml.org,2002:str";

    /// <summary>
    /// Parses every document of <paramref name="yaml"/>. The text is cut on lines starting with <c>---</c> first, as
    /// Dapr does, so a broken document becomes an error diagnostic (file and line) and the others still load.
    /// </summary>
    public static ManifestSet Parse(string yaml, string sourceFile)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var documents = new List<ManifestDocument>();
        var diagnostics = new List<ManifestDiagnostic>();
        foreach (var (startLine, text) in Split(yaml))
        {
            ParseChunk(text, startLine, sourceFile, documents, diagnostics);
        }

        return new ManifestSet(documents, diagnostics);
    }

    /// <summary>Converts one YAML node to JSON; keys of mappings must be scalars.</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlScalarNode scalar => ScalarToJson(scalar),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlMappingNode mapping => MappingToJson(mapping),
        _ => throw new YamlException(node.Start, node.End, "unsupported YAML node"),
    };

    private static IEnumerable<(int StartLine, string Text)> Split(string yaml)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > start && IsDocumentStart(lines[i]))
            {
                yield return (start + 1, string.Join('\n', lines[start..i]));
                start = i;
            }
        }

        yield return (start + 1, string.Join('\n', lines[start..]));
    }

    private static bool IsDocumentStart(string line) =>
        line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || char.IsWhiteSpace(line[3]));

    private static void ParseChunk(
        string text, int startLine, string sourceFile, List<ManifestDocument> documents, List<ManifestDiagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            diagnostics.Add(new(ManifestSeverity.Error, sourceFile, startLine + (int)e.Start.Line - 1, "invalid YAML: " + Describe(e)));
            return;
        }

        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            var line = startLine + (int)root.Start.Line - 1;
            if (root is YamlScalarNode { Value: null or "" } && root.Tag.IsEmpty)
            {
                continue;
            }

            if (root is not YamlMappingNode)
            {
                diagnostics.Add(new(ManifestSeverity.Error, sourceFile, line, "document is not a mapping; ignored"));
                continue;
            }

            JsonObject body;
            try
            {
                body = (JsonObject)ToJson(root)!;
            }
            catch (YamlException e)
            {
                diagnostics.Add(new(ManifestSeverity.Error, sourceFile, startLine + (int)e.Start.Line - 1, "invalid YAML: " + Describe(e)));
                continue;
            }

            documents.Add(new ManifestDocument
            {
                ApiVersion = ManifestFields.Text(ManifestFields.Get(body, "apiVersion")) ?? string.Empty,
                Kind = ManifestFields.Text(ManifestFields.Get(body, "kind")) ?? string.Empty,
                Name = ManifestFields.Text(ManifestFields.At(body, "metadata.name")),
                Namespace = ManifestFields.Text(ManifestFields.At(body, "metadata.namespace")),
                SourceFile = sourceFile,
                Line = line,
                Body = body,
            });
        }
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet prefixes its message with chunk-relative marks; the diagnostic carries the file line instead.
        var message = MarksPrefix().Replace(e.Message, string.Empty);
        return e.InnerException is { } inner && message.Length == 0 ? inner.Message : message;
    }

    private static JsonObject MappingToJson(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "mapping keys must be plain text");
            }

            if (result.ContainsKey(name))
            {
                throw new YamlException(key.Start, key.End, $"duplicate key '{name}'");
            }

            result[name] = ToJson(value);
        }

        return result;
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag == StrTag || (tag is null && scalar.Style != ScalarStyle.Plain))
        {
            return JsonValue.Create(text);
        }

        if (tag is not null and not ("tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool"
            or "tag:yaml.org,2002:null" or "!"))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (JsonNumber().IsMatch(text))
        {
            return JsonNode.Parse(text);
        }

        if (YamlInt().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return Number(integer.ToString(CultureInfo.InvariantCulture));
        }

        if (text.StartsWith("0x", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return Number(hex.ToString(CultureInfo.InvariantCulture));
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
        {
            return Number(Convert.ToInt64(text[2..], 8).ToString(CultureInfo.InvariantCulture));
        }

        if (YamlFloat().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real))
        {
            return Number(real.ToString("R", CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    // Every number is backed by JSON text, so readers convert it the same way whatever YAML spelling it had.
    private static JsonNode? Number(string canonical) => JsonNode.Parse(canonical);

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex YamlInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarksPrefix();
}
