using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Runtime.Protocol;
using YamlDotNet.RepresentationModel;

namespace Asya.Gateway.Flows;

/// <summary>
/// Reads <c>flows:</c> (upstream's format) from <c>flows.yaml</c> or a folder's <c>asya.yaml</c>: a list of
/// <c>{name, entrypoint, route_next?, description?, timeout?, mcp?, a2a?}</c>. Every error names the file, the line of
/// the entry and the field; unknown fields are errors, as in the rest of the mesh's YAML.
/// </summary>
internal static class FlowsReader
{
    /// <summary>The files of a folder that may hold flows, in the order they are read.</summary>
    public static readonly string[] FileNames = ["flows.yaml", "flows.yml", "asya.yaml", "asya.yml"];

    private static readonly string[] FlowKeys = ["name", "entrypoint", "route_next", "description", "timeout", "mcp", "a2a"];

    /// <summary>The files <paramref name="path"/> stands for: itself, or the flows files of a folder (none is fine).</summary>
    public static IReadOnlyList<string> FilesOf(string path) =>
        Directory.Exists(path)
            ? [.. FileNames.Select(n => Path.Combine(path, n)).Where(File.Exists)]
            : [path];

    public static FlowSet Read(string path)
    {
        var flows = new List<FlowDefinition>();
        foreach (var file in FilesOf(path))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new FlowsFileException($"{file}: cannot read: {ex.Message}");
            }

            foreach (var flow in Parse(text, file))
            {
                if (flows.FirstOrDefault(f => f.Name == flow.Name) is { } first)
                {
                    throw new FlowsFileException($"{flow.Location}: name: flow '{flow.Name}' is already defined at {first.Location}");
                }

                flows.Add(flow);
            }
        }

        return new FlowSet(flows);
    }

    public static IReadOnlyList<FlowDefinition> Parse(string text, string file)
    {
        var set = YamlJson.Parse(text, file);
        if (set.Diagnostics.FirstOrDefault(d => d.Severity == Components.ManifestSeverity.Error) is { } error)
        {
            throw new FlowsFileException($"{error.SourceFile}:{error.Line}: {error.Message}");
        }

        if (set.Documents.Count == 0)
        {
            return [];
        }

        if (set.Documents.Count > 1)
        {
            throw new FlowsFileException($"{file}:{set.Documents[1].Line}: expected one YAML document, found {set.Documents.Count}");
        }

        var document = set.Documents[0];
        // asya.yaml holds the folder's other settings too (route, namespace); only flows: is ours.
        var isFlowsFile = Path.GetFileName(file).StartsWith("flows.", StringComparison.Ordinal);
        if (!document.Body.TryGetPropertyValue("flows", out var node))
        {
            return isFlowsFile ? throw new FlowsFileException($"{document.Location}: flows: missing; expected flows: [{{name, entrypoint}}, ...]") : [];
        }

        if (isFlowsFile && document.Body.Select(p => p.Key).FirstOrDefault(k => k != "flows") is { } extra)
        {
            throw new FlowsFileException($"{document.Location}: {extra}: unknown field (known: flows)");
        }

        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray items)
        {
            throw new FlowsFileException($"{document.Location}: flows: must be a list of {{name, entrypoint, route_next, timeout, ...}}");
        }

        var lines = ItemLines(text);
        var flows = new List<FlowDefinition>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var location = $"{file}:{(i < lines.Count ? lines[i] : document.Line)}";
            flows.Add(ParseFlow(items[i], $"{location}: flows[{i}]", location));
        }

        return flows;
    }

    private static FlowDefinition ParseFlow(JsonNode? node, string where, string location)
    {
        if (node is not JsonObject flow)
        {
            throw new FlowsFileException($"{where}: must be a mapping with name and entrypoint");
        }

        foreach (var (key, _) in flow)
        {
            if (!FlowKeys.Contains(key))
            {
                var hint = KeySuggester.Nearest(key, FlowKeys) is { } near ? $"; did you mean {near}?" : $" (known: {string.Join(", ", FlowKeys)})";
                throw new FlowsFileException($"{where}.{key}: unknown field{hint}");
            }
        }

        var name = Text(flow, "name", where) ?? throw new FlowsFileException($"{where}.name: required");
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new FlowsFileException($"{where}.name: '{name}' must be letters, digits, '-' or '_' (it is an MCP tool name)");
        }

        var entrypoint = Text(flow, "entrypoint", where) ?? throw new FlowsFileException($"{where}.entrypoint: required (the first actor)");
        Actor(entrypoint, $"{where}.entrypoint");
        var next = new List<string>();
        if (flow["route_next"] is { } routeNext)
        {
            if (routeNext is not JsonArray steps)
            {
                throw new FlowsFileException($"{where}.route_next: must be a list of actor names");
            }

            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : throw new FlowsFileException($"{where}.route_next[{i}]: must be an actor name");
                next.Add(Actor(step, $"{where}.route_next[{i}]"));
            }
        }

        TimeSpan? timeout = null;
        if (flow["timeout"] is { } t)
        {
            timeout = t is JsonValue tv && tv.GetValueKind() == JsonValueKind.Number && tv.GetValue<double>() is > 0 and var seconds && double.IsFinite(seconds)
                ? TimeSpan.FromSeconds(seconds)
                : throw new FlowsFileException($"{where}.timeout: must be a number of seconds above 0");
        }

        return new FlowDefinition(
            name, entrypoint, next, Text(flow, "description", where), timeout, Mapping(flow, "mcp", where), Mapping(flow, "a2a", where), location);
    }

    private static string Actor(string name, string where) =>
        ActorNames.IsValid(name) ? name : throw new FlowsFileException($"{where}: '{name}' is not an actor name (a DNS label: lower-case letters, digits, '-')");

    private static string? Text(JsonObject flow, string key, string where) => flow[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw new FlowsFileException($"{where}.{key}: must be text, got {other.ToJsonString()}"),
    };

    private static JsonObject? Mapping(JsonObject flow, string key, string where) => flow.TryGetPropertyValue(key, out var node) switch
    {
        false => null,
        true when node is null => [],
        true when node is JsonObject obj => obj,
        _ => throw new FlowsFileException($"{where}.{key}: must be a mapping ({{}} exposes the flow)"),
    };

    /// <summary>The 1-based file line of each item of <c>flows:</c>; the JSON conversion keeps only the document's line.</summary>
    private static List<int> ItemLines(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var lines = new List<int>();
        if (stream.Documents.Count > 0
            && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("flows"), out var flows)
            && flows is YamlSequenceNode sequence)
        {
            lines.AddRange(sequence.Children.Select(item => (int)item.Start.Line));
        }

        return lines;
    }
}
