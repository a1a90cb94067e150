namespace Asya.Components;

/// <summary>
/// Metadata keys that daprd's runtime reads itself, on every component of a building block, before the component's own
/// decoder sees the rest (Dapr 1.18: dapr/dapr d8450742, <c>pkg/runtime/processor/{pubsub,binding,state}</c>,
/// <c>pkg/runtime/pubsub/outbox.go</c>, <c>pkg/scopes</c>; components-contrib c23900d2). No factory lists them, so the
/// loader adds them per category.
/// </summary>
internal static class DaprRuntimeKeys
{
    /// <summary>Topic scoping of pub/sub components: limits which app may publish or subscribe to which topic.</summary>
    public static readonly string[] TopicScoping = ["allowedTopics", "protectedTopics", "publishingScopes", "subscriptionScopes"];

    /// <summary>Outbox of transactional state stores: a committed transaction publishes to a pub/sub topic.</summary>
    public static readonly string[] Outbox =
        ["outboxPublishPubsub", "outboxPublishTopic", "outboxPubsub", "outboxDiscardWhenMissingState"];

    /// <summary>Runtime keys accepted without effect on the mesh, by category prefix.</summary>
    public static IReadOnlyCollection<string> NoEffect(string type)
    {
        ArgumentNullException.ThrowIfNull(type);

        // bindings.aws.sqs is a transport here, yet its manifest carries the binding keys of the runtime.
        if (type.StartsWith("bindings.", StringComparison.OrdinalIgnoreCase))
        {
            return ["direction", "route"];
        }

        return ComponentTypes.CategoryOf(type) switch
        {
            "pubsub." => ["consumerID"],
            "state." => ["keyPrefix", "actorStateStore", .. Outbox],
            _ => [],
        };
    }

    /// <summary>The topic-scoping keys when <paramref name="type"/> is a pub/sub, else none.</summary>
    public static IReadOnlyCollection<string> Scoping(string type) =>
        type.StartsWith("pubsub.", StringComparison.OrdinalIgnoreCase) ? TopicScoping : [];
}
