using System.Text.Json.Nodes;

namespace Asya.Deploy.Tests;

/// <summary>
/// Turns a CRD structural schema into a JSON Schema that rejects unknown fields, as the API server does under
/// kubectl's strict field validation: every object that lists properties, keeps no unknown fields and has no
/// additionalProperties gets <c>additionalProperties: false</c>. metadata stays open (the API server checks it).
/// The x-kubernetes-* extensions are dropped.
/// </summary>
internal static class StrictSchema
{
    public static JsonObject From(JsonObject openApiSchema)
    {
        var copy = (JsonObject)openApiSchema.DeepClone();
        Close(copy);
        return copy;
    }

    private static void Close(JsonObject schema)
    {
        var keepsUnknown = schema["x-kubernetes-preserve-unknown-fields"] is not null;

        // The Kubernetes extensions are not JSON Schema keywords; CEL rules are checked by CelRules instead.
        foreach (var key in schema.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            schema.Remove(key);
        }

        if (schema["properties"] is JsonObject properties)
        {
            if (schema["additionalProperties"] is null && !keepsUnknown)
            {
                schema["additionalProperties"] = false;
            }

            foreach (var (key, child) in properties)
            {
                // metadata lists only name (for its length); its other fields belong to the API server.
                if (child is JsonObject childSchema && key != "metadata")
                {
                    Close(childSchema);
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Close(items);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Close(additional);
        }
    }
}
