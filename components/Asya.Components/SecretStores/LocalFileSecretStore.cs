using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;

namespace Asya.Components.SecretStores;

/// <summary>
/// <c>secretstores.local.file</c>: a JSON file read once at start. Nested objects and arrays are flattened with
/// <c>nestedSeparator</c> (<c>a:b:0</c>). Single-valued: every flattened leaf is a secret with one field named like it.
/// <c>multiValued</c>: each top-level key is a secret and its flattened children are the fields.
/// </summary>
internal sealed class LocalFileSecretStore : ISecretStore
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private Dictionary<string, IReadOnlyDictionary<string, string>> _secrets = new(StringComparer.Ordinal);

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reader = new MetadataReader(spec);
        var file = reader.GetRequiredString("secretsFile");
        var separator = reader.GetString("nestedSeparator") ?? ":";
        var multiValued = reader.GetBool("multiValued", defaultValue: false);

        // daprd opens a relative path from its working directory (Dapr's quickstarts run from the app folder); when it is
        // not there, the manifest's folder is tried, so a resources folder can also carry its own secrets file.
        var fromWorkingDirectory = Path.GetFullPath(file);
        var manifestFolder = spec.SourceFile is { } source ? Path.GetDirectoryName(Path.GetFullPath(source)) : null;
        var fromManifest = manifestFolder is null ? null : Path.GetFullPath(file, manifestFolder);
        var path = Path.IsPathRooted(file) || File.Exists(fromWorkingDirectory) || fromManifest is null || !File.Exists(fromManifest)
            ? fromWorkingDirectory
            : fromManifest;
        if (!File.Exists(path))
        {
            var tried = fromManifest is null || fromManifest == fromWorkingDirectory || Path.IsPathRooted(file)
                ? $"file '{path}' does not exist"
                : $"neither '{fromWorkingDirectory}' (working directory) nor '{fromManifest}' (manifest folder) exists";
            throw ComponentConfigurationException.InvalidValue(spec, "secretsFile", file, tried);
        }

        JsonNode? root;
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            root = JsonNode.Parse(text, documentOptions: JsonOptions);
        }
        catch (JsonException e)
        {
            // The parser's own message may quote file content, which is secret: give only the position.
            throw ComponentConfigurationException.InvalidValue(
                spec, "secretsFile", file, $"'{path}' is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})");
        }
        catch (IOException e)
        {
            throw ComponentConfigurationException.InvalidValue(spec, "secretsFile", file, $"cannot read '{path}': {e.Message}");
        }

        if (root is not JsonObject top)
        {
            throw ComponentConfigurationException.InvalidValue(spec, "secretsFile", file, $"'{path}' must hold a JSON object");
        }

        var secrets = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (multiValued)
        {
            foreach (var (name, node) in top)
            {
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                if (node is JsonObject or JsonArray)
                {
                    Flatten(node, null, separator, fields);
                }
                else
                {
                    fields[name] = Leaf(node);
                }

                secrets[name] = fields;
            }
        }
        else
        {
            var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(top, null, separator, leaves);
            foreach (var (name, value) in leaves)
            {
                secrets[name] = new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value };
            }
        }

        _secrets = secrets;
    }

    public ValueTask<IReadOnlyDictionary<string, string>?> GetSecretAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_secrets.GetValueOrDefault(name));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Flatten(JsonNode? node, string? prefix, string separator, Dictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    Flatten(child, prefix is null ? key : prefix + separator + key, separator, into);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Flatten(array[i], prefix is null ? index : prefix + separator + index, separator, into);
                }

                break;
            default:
                if (prefix is not null)
                {
                    into[prefix] = Leaf(node);
                }

                break;
        }
    }

    private static string Leaf(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
