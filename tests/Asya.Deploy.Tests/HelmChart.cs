using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Asya.Testing;

namespace Asya.Deploy.Tests;

/// <summary>The chart under deploy/helm/asya, read as text (no helm binary is available to render it).</summary>
internal static partial class HelmChart
{
    public static string Root { get; } = Path.Combine(RepoPaths.Root, "deploy", "helm", "asya");

    public static JsonObject Values => YamlDocuments.ParseSingle(Path.Combine(Root, "values.yaml"));

    public static IReadOnlyDictionary<string, string> Templates { get; } =
        Directory.EnumerateFiles(Path.Combine(Root, "templates"))
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    /// <summary>Every <c>.Values.a.b</c> path used by a template, with the file using it.</summary>
    public static IEnumerable<(string File, string Path)> ValuesReferences() =>
        Templates.SelectMany(t => ValuesPath().Matches(t.Value).Select(m => (t.Key, m.Groups[1].Value.TrimStart('.'))));

    /// <summary>Template actions ({{ ... }}) of a file.</summary>
    public static IEnumerable<string> Actions(string text) => Action().Matches(text).Select(m => m.Groups[1].Value.Trim());

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex ValuesPath();

    [GeneratedRegex(@"\{\{-?(.*?)-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();
}
