using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Runtime.Protocol;

namespace Asya.Cli.Folder;

/// <summary>
/// Reads <c>asya.yaml</c> (<c>route: [a, b]</c>, <c>namespace: ns</c>); unknown keys are errors. <c>flows:</c> is the
/// gateway's, read by its <c>FlowsReader</c> (<see cref="MeshFolderLoader"/>).
/// </summary>
internal static class FolderSettingsReader
{
    public static readonly string[] FileNames = ["asya.yaml", "asya.yml"];

    private static readonly string[] KnownKeys = ["namespace", "route", "flows"];

    public static FolderSettings Read(string root, Func<string, string> show)
    {
        var present = FileNames.Select(n => Path.Combine(root, n)).Where(File.Exists).ToList();
        if (present.Count == 0)
        {
            return FolderSettings.Empty;
        }

        if (present.Count > 1)
        {
            throw CliException.Config($"{show(present[0])} and {show(present[1])}: keep only one of them");
        }

        var file = show(present[0]);
        var documents = YamlFiles.Read(present[0], file);
        if (documents.Count == 0 || documents[0].Root is null)
        {
            return FolderSettings.Empty with { SourceFile = file };
        }

        if (documents.Count > 1)
        {
            throw CliException.Config($"{file}: expected one YAML document, found {documents.Count}");
        }

        if (documents[0].Root is not JsonObject root0)
        {
            throw CliException.Config($"{file}: expected a mapping with keys {string.Join(", ", KnownKeys)}");
        }

        foreach (var (key, _) in root0)
        {
            if (!KnownKeys.Contains(key))
            {
                throw CliException.Config($"{file}: unknown key '{key}' (known: {string.Join(", ", KnownKeys)})");
            }
        }

        var ns = ActorNames.DefaultNamespace;
        if (root0["namespace"] is { } nsNode)
        {
            ns = nsNode.GetValueKind() == JsonValueKind.String ? nsNode.GetValue<string>() : "";
            if (!ActorNames.IsValid(ns))
            {
                throw CliException.Config($"{file}: namespace: '{nsNode.ToJsonString()}' must be a DNS label (lower-case letters, digits, '-')");
            }
        }

        List<string>? route = null;
        if (root0.ContainsKey("route"))
        {
            if (root0["route"] is not JsonArray items || items.Count == 0)
            {
                throw CliException.Config($"{file}: route: must be a non-empty list of actor names, e.g. route: [validate, judge]");
            }

            route = [];
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    throw CliException.Config($"{file}: route[{i}]: must be an actor name");
                }

                route.Add(v.GetValue<string>());
            }
        }

        return new FolderSettings(ns, route, file);
    }
}
