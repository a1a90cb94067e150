using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Asya.Operator.Building;

/// <summary>A short, stable digest of an object's desired state, kept in annotation <c>asya.sh/spec-hash</c>.</summary>
public static class ObjectHash
{
    public static string Of(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Of(Canonical(node).ToJsonString());
    }

    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>Keys sorted at every level, so equal objects hash equally whatever order they were built in.</summary>
    public static JsonNode Canonical(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Canonical(i))]),
        _ => node.DeepClone(),
    };
}
