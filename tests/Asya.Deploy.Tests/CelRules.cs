using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Asya.Deploy.Tests;

/// <summary>
/// C# twins of the CRD's CEL rules (x-kubernetes-validations), keyed by the exact rule text. JsonSchema.Net cannot run
/// CEL, so each rule is written again here; a rule added to the CRD without a twin fails
/// <c>CrdSchemaTests.CelRules_EveryRule_HasATwin</c>. Transition rules (using oldSelf) only run on updates and are
/// checked for presence only.
/// </summary>
internal static partial class CelRules
{
    private static readonly string[] ReservedVolumes = ["socket-dir", "tmp", "asya-runtime", "components"];

    public static IReadOnlyDictionary<string, Func<JsonNode, bool>> Twins { get; } = new Dictionary<string, Func<JsonNode, bool>>
    {
        ["has(self.spec.actor) || (size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))"] =
            self => Has(self["spec"], "actor") || (Str(self["metadata"], "name") is { Length: <= 63 } name && DnsLabel().IsMatch(name)),
        ["(has(self.builtin) && self.builtin != '') || (has(self.image) && self.image != '')"] =
            self => IsBuiltin(self) || Str(self, "image") is { Length: > 0 },
        ["(has(self.builtin) && self.builtin != '') || (has(self.handler) && self.handler != '')"] =
            self => IsBuiltin(self) || Str(self, "handler") is { Length: > 0 },
        ["!(has(self.builtin) && self.builtin != '') || (!has(self.image) && !has(self.handler))"] =
            self => !IsBuiltin(self) || (!Has(self, "image") && !Has(self, "handler")),
        ["(has(self.builtin) && self.builtin != '') || !has(self.stateStore)"] =
            self => IsBuiltin(self) || !Has(self, "stateStore"),
        ["(has(self.builtin) && self.builtin != '') || !has(self.actor) || !(self.actor in ['x-sink', 'x-sump', 'x-pause', 'x-resume'])"] =
            self => IsBuiltin(self) || !Has(self, "actor") || Str(self, "actor") is not ("x-sink" or "x-sump" or "x-pause" or "x-resume"),
        ["!(self.name in ['socket-dir', 'tmp', 'asya-runtime', 'components'])"] =
            self => !ReservedVolumes.Contains(Str(self, "name")),
        ["!has(self.minReplicaCount) || !has(self.maxReplicaCount) || self.minReplicaCount <= self.maxReplicaCount"] =
            self => !Has(self, "minReplicaCount") || !Has(self, "maxReplicaCount")
                || self["minReplicaCount"]!.GetValue<long>() <= self["maxReplicaCount"]!.GetValue<long>(),
        ["!has(self.rules) || self.rules.all(r, has(self.policies) && r.policy in self.policies)"] =
            self => !Has(self, "rules") || self["rules"]!.AsArray().All(
                r => self["policies"] is JsonObject policies && Str(r, "policy") is { } policy && policies.ContainsKey(policy)),
        ["self.all(a, self.exists_one(b, b.mount == a.mount))"] =
            self => self.AsArray().All(a => self.AsArray().Count(b => Str(b, "mount") == Str(a, "mount")) == 1),
    };

    public static bool IsTransitionRule(string rule) => rule.Contains("oldSelf", StringComparison.Ordinal);

    /// <summary>Messages of the rules the instance breaks, walking schema and instance together.</summary>
    public static IReadOnlyList<string> Violations(JsonObject schema, JsonNode instance)
    {
        var messages = new List<string>();
        Walk(schema, instance, messages);
        return messages;
    }

    /// <summary>Every (rule, message) in the schema, depth first.</summary>
    public static IEnumerable<(string Rule, string Message)> All(JsonObject schema)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules)
            {
                yield return (YamlDocuments.Text(rule!["rule"])!, YamlDocuments.Text(rule["message"]) ?? string.Empty);
            }
        }

        foreach (var child in Children(schema))
        {
            foreach (var found in All(child))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<JsonObject> Children(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, child) in properties)
            {
                yield return (JsonObject)child!;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            yield return items;
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            yield return additional;
        }
    }

    private static void Walk(JsonObject schema, JsonNode? instance, List<string> messages)
    {
        if (instance is null)
        {
            return;
        }

        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules)
            {
                var text = YamlDocuments.Text(rule!["rule"])!;
                if (!IsTransitionRule(text) && !Twins[text](instance))
                {
                    messages.Add(YamlDocuments.Text(rule["message"]) ?? text);
                }
            }
        }

        if (instance is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            foreach (var (key, value) in obj)
            {
                if (properties?[key] is JsonObject child)
                {
                    Walk(child, value, messages);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Walk(additional, value, messages);
                }
            }
        }
        else if (instance is JsonArray array && schema["items"] is JsonObject items)
        {
            foreach (var item in array)
            {
                Walk(items, item, messages);
            }
        }
    }

    private static bool IsBuiltin(JsonNode self) => Str(self, "builtin") is { Length: > 0 };

    private static bool Has(JsonNode? node, string key) => node is JsonObject obj && obj[key] is not null;

    private static string? Str(JsonNode? node, string key) => node is JsonObject obj ? YamlDocuments.Text(obj[key]) : null;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();
}
