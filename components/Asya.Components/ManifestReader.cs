namespace Asya.Components;

/// <summary>
/// Reads manifest folders the way Dapr's standalone loader does: each folder non-recursively, only <c>.yaml</c>/<c>.yml</c>
/// files (case-insensitive), files in lexical order, documents in file order. A path may also name one YAML file.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads every document under <paramref name="resourcePaths"/>; unreadable ones become diagnostics.</summary>
    public static ManifestSet Read(IEnumerable<string> resourcePaths)
    {
        ArgumentNullException.ThrowIfNull(resourcePaths);
        var documents = new List<ManifestDocument>();
        var diagnostics = new List<ManifestDiagnostic>();
        foreach (var resourcePath in resourcePaths)
        {
            var path = Path.GetFullPath(resourcePath);
            if (File.Exists(path))
            {
                if (IsYaml(path))
                {
                    ReadFile(path, documents, diagnostics);
                }
                else
                {
                    diagnostics.Add(new(ManifestSeverity.Warning, path, 0, "not a .yaml or .yml file; ignored"));
                }
            }
            else if (Directory.Exists(path))
            {
                var files = Directory.GetFiles(path);
                Array.Sort(files, StringComparer.Ordinal);
                foreach (var file in files)
                {
                    if (IsYaml(file))
                    {
                        ReadFile(file, documents, diagnostics);
                    }
                    else if (!Path.GetFileName(file).StartsWith('.') && !IsCompanionFile(file))
                    {
                        diagnostics.Add(new(ManifestSeverity.Warning, file, 0, "not a .yaml or .yml file; ignored"));
                    }
                }
            }
            else
            {
                diagnostics.Add(new(ManifestSeverity.Error, path, 0, "resources path does not exist"));
            }
        }

        return new ManifestSet(documents, diagnostics);
    }

    /// <summary>
    /// Parses manifests held in memory, <paramref name="files"/> mapping a file name to its YAML (or JSON) text, in the
    /// order a folder of those files is read (lexical by name); the names stand for the files in messages.
    /// </summary>
    public static ManifestSet Parse(IEnumerable<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var documents = new List<ManifestDocument>();
        var diagnostics = new List<ManifestDiagnostic>();
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var set = YamlJson.Parse(text, name);
            documents.AddRange(set.Documents);
            diagnostics.AddRange(set.Diagnostics);
        }

        return new ManifestSet(documents, diagnostics);
    }

    // daprd warns about every other file; a secretsFile of secretstores.local.file lives beside the manifests in Dapr's
    // quickstarts, and samples keep a README there, so JSON and Markdown files are left alone.
    private static bool IsCompanionFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static void ReadFile(string file, List<ManifestDocument> documents, List<ManifestDiagnostic> diagnostics)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new(ManifestSeverity.Error, file, 0, $"cannot read file: {e.Message}"));
            return;
        }

        var set = YamlJson.Parse(text, file);
        documents.AddRange(set.Documents);
        diagnostics.AddRange(set.Diagnostics);
    }
}
