using System.Text.Json.Nodes;

namespace Asya.Sidecar.Crew;

/// <summary>
/// How x-resume puts a resume input into a paused payload (upstream's rules): when the pause metadata's fields map
/// <c>payload_key</c> paths, each named input value is written at its path (<c>/review/approved</c>; <c>~1</c> and
/// <c>~0</c> escape <c>/</c> and <c>~</c>) and nothing else is taken; otherwise the input's keys are merged into the
/// payload, top level only (<c>shallow</c>) or recursively into nested objects (<c>deep</c>). When either side is not
/// an object the input replaces the payload (a null input keeps it).
/// </summary>
internal static class ResumeMerge
{
    public static JsonNode? Merge(JsonNode? paused, JsonNode? input, JsonObject metadata, string mode)
    {
        var mappings = PauseMetadata.Mappings(metadata);
        if (mappings.Count > 0)
        {
            var result = paused is JsonObject pausedObject ? pausedObject.DeepClone().AsObject() : [];
            if (input is JsonObject fields)
            {
                foreach (var (name, key) in mappings)
                {
                    if (fields.TryGetPropertyValue(name, out var value))
                    {
                        SetAt(result, key, value?.DeepClone());
                    }
                }
            }

            return result;
        }

        if (input is null)
        {
            return paused?.DeepClone();
        }

        if (paused is not JsonObject target || input is not JsonObject source)
        {
            return input.DeepClone();
        }

        var merged = target.DeepClone().AsObject();
        Into(merged, source, deep: mode == "deep");
        return merged;
    }

    private static void Into(JsonObject target, JsonObject source, bool deep)
    {
        foreach (var (key, value) in source)
        {
            if (deep && value is JsonObject nested && target[key] is JsonObject existing)
            {
                Into(existing, nested, deep);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static void SetAt(JsonObject root, string pointer, JsonNode? value)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .ToArray();
        if (parts.Length == 0)
        {
            return;
        }

        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                node[part] = child = [];
            }

            node = child;
        }

        node[parts[^1]] = value;
    }
}
