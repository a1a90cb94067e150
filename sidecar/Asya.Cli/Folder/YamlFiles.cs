using Asya.Cli.Cli;
using Asya.Components;

namespace Asya.Cli.Folder;

/// <summary>Reads the folder's YAML files (asya.yaml, AsyncActor manifests) into JSON documents.</summary>
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

    // The component loader's YAML reader is the one YAML → JSON conversion in the project; the CLI only turns its
    // diagnostics into configuration errors.
    public static IReadOnlyList<YamlDocument> Parse(string text, string shownPath)
    {
        var set = YamlJson.Parse(text, shownPath);
        if (set.Diagnostics.FirstOrDefault(d => d.Severity == ManifestSeverity.Error) is { } error)
        {
            throw CliException.Config($"{error.SourceFile}:{error.Line}: invalid YAML: {error.Message}");
        }

        return [.. set.Documents.Select((d, i) => new YamlDocument(shownPath, i, d.Line, d.Body))];
    }
}
