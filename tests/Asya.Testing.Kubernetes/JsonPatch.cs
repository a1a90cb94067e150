using System.Globalization;
using System.Text.Json.Nodes;

namespace Asya.Testing.Kubernetes;

/// <summary>JSON merge patch (RFC 7386) and JSON patch (RFC 6902: add, remove, replace, test).</summary>
internal static class JsonPatch
{
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Merge(result[key], value);
            }
        }

        return result;
    }

    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        var root = (JsonObject)target.DeepClone();
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>() ?? throw new InvalidOperationException("patch operation without op");
            var path = operation["path"]?.GetValue<string>() ?? throw new InvalidOperationException("patch operation without path");
            var tokens = path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            var parent = Navigate(root, tokens.SkipLast(1));
            var last = tokens[^1];
            switch (op)
            {
                case "add":
                    if (parent is JsonArray addArray)
                    {
                        var value = operation["value"]?.DeepClone();
                        if (last == "-")
                        {
                            addArray.Add(value);
                        }
                        else
                        {
                            addArray.Insert(int.Parse(last, CultureInfo.InvariantCulture), value);
                        }
                    }
                    else
                    {
                        ((JsonObject)parent!)[last] = operation["value"]?.DeepClone();
                    }

                    break;
                case "replace":
                    if (parent is JsonArray replaceArray)
                    {
                        replaceArray[int.Parse(last, CultureInfo.InvariantCulture)] = operation["value"]?.DeepClone();
                    }
                    else
                    {
                        ((JsonObject)parent!)[last] = operation["value"]?.DeepClone();
                    }

                    break;
                case "remove":
                    if (parent is JsonArray removeArray)
                    {
                        removeArray.RemoveAt(int.Parse(last, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        ((JsonObject)parent!).Remove(last);
                    }

                    break;
                case "test":
                    var actual = parent is JsonArray testArray ? testArray[int.Parse(last, CultureInfo.InvariantCulture)] : ((JsonObject)parent!)[last];
                    if (!JsonNode.DeepEquals(actual, operation["value"]))
                    {
                        throw new PatchTestFailedException($"test failed at {path}");
                    }

                    break;
                default:
                    throw new InvalidOperationException($"unsupported patch op '{op}'");
            }
        }

        return root;
    }

    private static JsonNode? Navigate(JsonNode root, IEnumerable<string> tokens)
    {
        var node = root;
        foreach (var token in tokens)
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a => a[int.Parse(token, CultureInfo.InvariantCulture)],
                _ => null,
            } ?? throw new InvalidOperationException($"patch path segment '{token}' does not exist");
        }

        return node;
    }
}
