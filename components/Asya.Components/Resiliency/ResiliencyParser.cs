using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;

namespace Asya.Components.Resiliency;

/// <summary>
/// Reads upstream Asya resiliency settings (docs/design.md §5) from the <c>ASYA_RESILIENCY_*</c> variables or from an
/// <c>AsyncActor</c>'s <c>spec.resiliency</c> block. Durations are Go strings (<c>1s</c>, <c>500ms</c>) or numbers
/// of seconds. Any bad value throws <see cref="ComponentConfigurationException"/> naming where, the policy or rule, and the field.
/// </summary>
public static class ResiliencyParser
{
    /// <summary>Variable holding the policies as a JSON object.</summary>
    public const string PoliciesVariable = "ASYA_RESILIENCY_POLICIES";

    /// <summary>Variable holding the rules as a JSON array.</summary>
    public const string RulesVariable = "ASYA_RESILIENCY_RULES";

    /// <summary>Variable holding the per-call timeout.</summary>
    public const string ActorTimeoutVariable = "ASYA_RESILIENCY_ACTOR_TIMEOUT";

    private static readonly string[] PolicyFields =
        ["maxAttempts", "backoff", "initialDelay", "maxInterval", "maxDuration", "jitter", "onExhausted"];

    /// <summary>Settings from the three variables' values; unset ones give no policies, no rules, the default timeout.</summary>
    public static ResiliencySettings FromEnvironment(string? policiesJson, string? rulesJson, string? actorTimeout)
    {
        var policies = ParsePolicies(ParseJson(policiesJson, PoliciesVariable), PoliciesVariable);
        var rules = ParseRules(ParseJson(rulesJson, RulesVariable), RulesVariable, policies);
        var timeout = string.IsNullOrWhiteSpace(actorTimeout)
            ? ResiliencySettings.DefaultActorTimeout
            : ParseTimeout(JsonValue.Create(actorTimeout), ActorTimeoutVariable);
        return new ResiliencySettings { ActorTimeout = timeout, Policies = policies, Rules = rules };
    }

    /// <summary>
    /// Settings from an AsyncActor <c>spec.resiliency</c> block (<c>actorTimeout</c>, <c>policies</c>, <c>rules</c>);
    /// <paramref name="where"/> names the file for errors. A missing block gives <see cref="ResiliencySettings.None"/>.
    /// </summary>
    public static ResiliencySettings FromNode(JsonNode? resiliency, string where)
    {
        if (resiliency is null)
        {
            return ResiliencySettings.None;
        }

        var at = $"{where}: spec.resiliency";
        if (resiliency is not JsonObject block)
        {
            throw new ComponentConfigurationException($"{at} must be a mapping with actorTimeout, policies and rules");
        }

        foreach (var (key, _) in block)
        {
            if (key is not ("actorTimeout" or "policies" or "rules"))
            {
                throw new ComponentConfigurationException(
                    $"{at}: unknown field '{key}' (known: actorTimeout, policies, rules)");
            }
        }

        var policies = ParsePolicies(block["policies"], at + ".policies");
        var rules = ParseRules(block["rules"], at + ".rules", policies);
        var timeout = block["actorTimeout"] is { } node ? ParseTimeout(node, at + ".actorTimeout") : ResiliencySettings.DefaultActorTimeout;
        return new ResiliencySettings { ActorTimeout = timeout, Policies = policies, Rules = rules };
    }

    private static JsonNode? ParseJson(string? text, string variable)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ComponentConfigurationException(
                $"{variable}: not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})", e);
        }
    }

    private static TimeSpan ParseTimeout(JsonNode node, string where)
    {
        var timeout = Duration(node, () => where);
        return timeout > TimeSpan.Zero
            ? timeout
            : throw new ComponentConfigurationException($"{where}: must be a positive duration such as 30s or 5m");
    }

    private static Dictionary<string, RetryPolicy> ParsePolicies(JsonNode? node, string where)
    {
        var policies = new Dictionary<string, RetryPolicy>(StringComparer.Ordinal);
        if (node is null)
        {
            return policies;
        }

        if (node is not JsonObject map)
        {
            throw new ComponentConfigurationException($"{where}: must be an object of policy name → policy");
        }

        foreach (var (name, body) in map)
        {
            policies[name] = ParsePolicy(name, body, where);
        }

        return policies;
    }

    private static RetryPolicy ParsePolicy(string name, JsonNode? node, string where)
    {
        if (node is not JsonObject body)
        {
            throw new ComponentConfigurationException($"{where}: policy '{name}' must be an object");
        }

        string Field(string field) => $"{where}: policy '{name}', field '{field}'";
        foreach (var (key, _) in body)
        {
            if (!PolicyFields.Contains(key, StringComparer.Ordinal))
            {
                var nearest = KeySuggester.Nearest(key, PolicyFields);
                var hint = nearest is null ? string.Empty : $" (did you mean '{nearest}'?)";
                throw new ComponentConfigurationException(
                    $"{Field(key)}: unknown field{hint}; known fields: {string.Join(", ", PolicyFields)}");
            }
        }

        return new RetryPolicy
        {
            Name = name,
            MaxAttempts = body["maxAttempts"] is { } attempts ? Integer(attempts, () => Field("maxAttempts")) : 1,
            Backoff = body["backoff"] is { } backoff ? Backoff(backoff, Field("backoff")) : BackoffKind.Exponential,
            InitialDelay = body["initialDelay"] is { } initial ? NonNegative(initial, () => Field("initialDelay")) : TimeSpan.Zero,
            MaxInterval = body["maxInterval"] is { } interval ? NonNegative(interval, () => Field("maxInterval")) : TimeSpan.Zero,
            MaxDuration = body["maxDuration"] is { } duration ? NonNegative(duration, () => Field("maxDuration")) : TimeSpan.Zero,
            Jitter = body["jitter"] is { } jitter && Bool(jitter, Field("jitter")),
            OnExhausted = body["onExhausted"] is { } exhausted ? Names(exhausted, Field("onExhausted")) : [],
        };
    }

    private static List<ResiliencyRule> ParseRules(JsonNode? node, string where, Dictionary<string, RetryPolicy> policies)
    {
        var rules = new List<ResiliencyRule>();
        if (node is null)
        {
            return rules;
        }

        if (node is not JsonArray array)
        {
            throw new ComponentConfigurationException($"{where}: must be an array of {{errors, policy}} rules");
        }

        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{where}: rule {i}";
            if (array[i] is not JsonObject rule)
            {
                throw new ComponentConfigurationException($"{at}: must be an object with 'errors' and 'policy'");
            }

            foreach (var (key, _) in rule)
            {
                if (key is not ("errors" or "policy"))
                {
                    throw new ComponentConfigurationException($"{at}, field '{key}': unknown field; known fields: errors, policy");
                }
            }

            var errors = rule["errors"] is { } e ? Names(e, $"{at}, field 'errors'") : [];
            if (errors.Count == 0)
            {
                throw new ComponentConfigurationException($"{at}, field 'errors': must list at least one error type");
            }

            if (rule["policy"] is not JsonValue p || !p.TryGetValue<string>(out var policy) || policy.Length == 0)
            {
                throw new ComponentConfigurationException($"{at}, field 'policy': must name a policy");
            }

            if (!policies.ContainsKey(policy))
            {
                var known = policies.Count == 0 ? "none" : string.Join(", ", policies.Keys.Order(StringComparer.Ordinal));
                throw new ComponentConfigurationException(
                    $"{at}, field 'policy': policy '{policy}' is not defined; defined policies: {known}");
            }

            rules.Add(new ResiliencyRule(errors, policy));
        }

        return rules;
    }

    /// <summary>A Go duration string or a number of seconds.</summary>
    internal static TimeSpan Duration(JsonNode node, Func<string> where, bool bareNumberIsMilliseconds = false)
    {
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number)
            {
                var number = value.GetValue<double>();
                return bareNumberIsMilliseconds ? TimeSpan.FromMilliseconds(number) : TimeSpan.FromSeconds(number);
            }

            if (value.TryGetValue<string>(out var text) && MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds, out var parsed))
            {
                return parsed;
            }
        }

        var unit = bareNumberIsMilliseconds ? "milliseconds" : "seconds";
        throw new ComponentConfigurationException(
            $"{where()}: {node.ToJsonString()} is not a duration (use e.g. 500ms, 30s, 1m30s, or a number of {unit})");
    }

    private static TimeSpan NonNegative(JsonNode node, Func<string> where)
    {
        var value = Duration(node, where);
        return value >= TimeSpan.Zero
            ? value
            : throw new ComponentConfigurationException($"{where()}: must not be negative");
    }

    internal static int Integer(JsonNode node, Func<string> where)
    {
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number))
            {
                return number;
            }

            if (value.TryGetValue<string>(out var text)
                && int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        throw new ComponentConfigurationException($"{where()}: {node.ToJsonString()} is not a whole number");
    }

    private static BackoffKind Backoff(JsonNode node, string where) =>
        (node as JsonValue)?.TryGetValue<string>(out var text) == true
            ? text.Trim().ToLowerInvariant() switch
            {
                "constant" => BackoffKind.Constant,
                "linear" => BackoffKind.Linear,
                "exponential" => BackoffKind.Exponential,
                _ => throw new ComponentConfigurationException($"{where}: '{text}' must be constant, linear or exponential"),
            }
            : throw new ComponentConfigurationException($"{where}: {node.ToJsonString()} must be constant, linear or exponential");

    private static bool Bool(JsonNode node, string where)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String:
                    var text = value.GetValue<string>().Trim().ToLowerInvariant();
                    if (text is "true" or "false")
                    {
                        return text == "true";
                    }

                    break;
            }
        }

        throw new ComponentConfigurationException($"{where}: {node.ToJsonString()} must be true or false");
    }

    private static List<string> Names(JsonNode node, string where)
    {
        if (node is JsonValue single && single.TryGetValue<string>(out var one))
        {
            return one.Length > 0 ? [one] : [];
        }

        if (node is JsonArray array)
        {
            var names = new List<string>(array.Count);
            foreach (var item in array)
            {
                if (item is not JsonValue v || !v.TryGetValue<string>(out var name) || name.Length == 0)
                {
                    throw new ComponentConfigurationException($"{where}: every item must be a non-empty string");
                }

                names.Add(name);
            }

            return names;
        }

        throw new ComponentConfigurationException($"{where}: must be a list of strings");
    }
}
