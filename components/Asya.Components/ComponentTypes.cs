namespace Asya.Components;

/// <summary>What role a component type plays, by its Dapr type name.</summary>
public static class ComponentTypes
{
    /// <summary>
    /// Dapr input/output bindings that carry mesh traffic like a pub/sub: Dapr users move SQS queues through
    /// <c>bindings.aws.sqs</c>, so such a manifest is a transport here, picked the same way as a <c>pubsub.*</c> one.
    /// </summary>
    private static readonly HashSet<string> TransportBindings = new(StringComparer.OrdinalIgnoreCase) { "bindings.aws.sqs" };

    /// <summary>The category prefix of <paramref name="type"/>: <c>pubsub.</c> for every transport, else up to its first dot.</summary>
    public static string CategoryOf(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (TransportBindings.Contains(type))
        {
            return "pubsub.";
        }

        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? type : type[..(dot + 1)];
    }
}
