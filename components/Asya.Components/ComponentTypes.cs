namespace Asya.Components;

/// <summary>What role a component type plays, by its Dapr type name.</summary>
public static class ComponentTypes
{
    /// <summary>The category of every transport: <c>pubsub.*</c> and the bindings that carry mesh traffic.</summary>
    public const string Transport = "pubsub.";

    /// <summary>The category of state stores (the crew's result store).</summary>
    public const string State = "state.";

    /// <summary>
    /// Dapr input/output bindings that carry mesh traffic like a pub/sub: Dapr users move SQS queues through
    /// <c>bindings.aws.sqs</c>, so such a manifest is a transport here, picked the same way as a <c>pubsub.*</c> one.
    /// </summary>
    private static readonly HashSet<string> TransportBindings = new(StringComparer.OrdinalIgnoreCase) { "bindings.aws.sqs" };

    /// <summary>True when <paramref name="type"/> is a transport (see <see cref="CategoryOf"/>).</summary>
    public static bool IsTransport(string type) => string.Equals(CategoryOf(type), Transport, StringComparison.OrdinalIgnoreCase);

    /// <summary>The category prefix of <paramref name="type"/>: <c>pubsub.</c> for every transport, else up to its first dot.</summary>
    public static string CategoryOf(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (TransportBindings.Contains(type))
        {
            return Transport;
        }

        var dot = type.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? type : type[..(dot + 1)];
    }
}
