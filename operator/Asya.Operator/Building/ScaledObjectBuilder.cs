using System.Globalization;
using System.Text.Json.Nodes;
using Asya.Operator.Model;

namespace Asya.Operator.Building;

/// <summary>
/// The KEDA <c>ScaledObject</c> of an actor: an <c>external-push</c> trigger on the Asya external scaler (metadata
/// keys of docs/design.md §7), min/max/polling/cooldown from <c>spec.scaling</c>, HPA behaviour "up fast, down gradual".
/// </summary>
public static class ScaledObjectBuilder
{
    public const string ApiVersion = "keda.sh/v1alpha1";

    public static JsonObject Build(ActorModel actor, OperatorSettings settings, string transport)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(settings);
        var scaling = actor.Scaling;
        var metadata = new JsonObject
        {
            ["name"] = ObjectNames.ScaledObject(actor),
            ["namespace"] = actor.Namespace,
            ["labels"] = ToJson(Labels.Of(actor)),
        };
        if (OwnerReferences.Of(actor) is { } owners)
        {
            metadata["ownerReferences"] = new JsonArray([.. owners.Select(o => (JsonNode)KubeJson.ToJson(o))]);
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "ScaledObject",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["name"] = ObjectNames.Deployment(actor) },
                ["minReplicaCount"] = scaling.MinReplicaCount,
                ["maxReplicaCount"] = scaling.MaxReplicaCount,
                ["pollingInterval"] = scaling.PollingInterval,
                ["cooldownPeriod"] = scaling.CooldownPeriod,
                ["advanced"] = new JsonObject
                {
                    ["horizontalPodAutoscalerConfig"] = new JsonObject { ["behavior"] = Behavior() },
                },
                ["triggers"] = new JsonArray(Trigger(actor, settings, transport)),
            },
        };
    }

    private static JsonObject Trigger(ActorModel actor, OperatorSettings settings, string transport)
    {
        var scaling = actor.Scaling;
        var metadata = new JsonObject
        {
            ["scalerAddress"] = settings.ScalerAddress,
            ["actor"] = actor.Actor,
            ["namespace"] = actor.Namespace,
            ["component"] = transport,
            ["targetQueueLength"] = Text(scaling.QueueLength),
            ["activationQueueLength"] = Text(scaling.ActivationQueueLength),
            ["countInFlight"] = scaling.CountInFlight ? "true" : "false",
        };
        var trigger = new JsonObject { ["type"] = "external-push", ["name"] = "queue", ["metadata"] = metadata };
        if (settings.ScalerTlsAuthentication is { } auth)
        {
            // KEDA's external scaler dials TLS only when told, and takes its client certificate from the reference.
            metadata["enableTLS"] = "true";
            trigger["authenticationRef"] = new JsonObject { ["name"] = auth, ["kind"] = "ClusterTriggerAuthentication" };
        }

        return trigger;
    }

    // Up fast (double or +10 pods a minute, no stabilization), down gradual (one pod a minute after 5 minutes calm).
    private static JsonObject Behavior() => new()
    {
        ["scaleUp"] = new JsonObject
        {
            ["stabilizationWindowSeconds"] = 0,
            ["selectPolicy"] = "Max",
            ["policies"] = new JsonArray(
                new JsonObject { ["type"] = "Pods", ["value"] = 10, ["periodSeconds"] = 60 },
                new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 60 }),
        },
        ["scaleDown"] = new JsonObject
        {
            ["stabilizationWindowSeconds"] = 300,
            ["selectPolicy"] = "Max",
            ["policies"] = new JsonArray(new JsonObject { ["type"] = "Pods", ["value"] = 1, ["periodSeconds"] = 60 }),
        },
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonObject ToJson(Dictionary<string, string> map) => new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
