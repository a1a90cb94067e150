using System.Globalization;
using System.Text.Json.Nodes;

namespace Asya.Operator.Reconcile;

/// <summary>
/// Turns an <see cref="ActorStatus"/> into the <c>status</c> object. A condition's <c>lastTransitionTime</c> is kept
/// from the previous status unless its <c>status</c> flipped, so an unchanged actor yields an identical object (and no
/// write).
/// </summary>
internal static class StatusBuilder
{
    public static JsonObject Build(ActorStatus status, JsonObject? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var previousConditions = (previous?["conditions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(c => c["type"] is not null)
            .GroupBy(c => c["type"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var conditions = new JsonArray();
        foreach (var condition in status.Conditions)
        {
            var since = previousConditions.TryGetValue(condition.Type, out var old)
                && old["status"]?.GetValue<string>() == condition.Status
                && old["lastTransitionTime"] is { } kept
                    ? kept.GetValue<string>()
                    : now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            conditions.Add(new JsonObject
            {
                ["type"] = condition.Type,
                ["status"] = condition.Status,
                ["reason"] = condition.Reason,
                ["message"] = condition.Message,
                ["lastTransitionTime"] = since,
                ["observedGeneration"] = status.ObservedGeneration,
            });
        }

        var result = new JsonObject
        {
            ["observedGeneration"] = status.ObservedGeneration,
            ["phase"] = status.Phase,
        };
        Set(result, "actor", status.Actor);
        Set(result, "transport", status.Transport);
        Set(result, "queue", status.Queue);
        Set(result, "replicas", status.Replicas);
        Set(result, "readyReplicas", status.ReadyReplicas);
        Set(result, "queueDepth", status.QueueDepth);
        Set(result, "inFlight", status.InFlight);
        result["conditions"] = conditions;
        return result;
    }

    /// <summary>Phase from the conditions and replica counts: Error, Creating, Napping, Degraded or Ready.</summary>
    public static string Phase(bool specValid, bool transportReady, bool scaling, int? desiredReplicas, int readyReplicas)
    {
        if (!specValid || !transportReady)
        {
            return "Error";
        }

        var desired = desiredReplicas ?? 1;
        if (desired == 0)
        {
            return scaling ? "Napping" : "Ready";
        }

        return readyReplicas >= desired ? "Ready" : readyReplicas == 0 ? "Creating" : "Degraded";
    }

    private static void Set(JsonObject target, string key, string? value)
    {
        if (value is not null)
        {
            target[key] = value;
        }
    }

    private static void Set(JsonObject target, string key, long? value)
    {
        if (value is { } v)
        {
            target[key] = v;
        }
    }
}
