namespace Asya.Operator.Reconcile;

/// <summary>What a reconcile observed, before it is written as <c>status</c>.</summary>
internal sealed record ActorStatus
{
    public required long ObservedGeneration { get; init; }

    public required string Phase { get; init; }

    public required IReadOnlyList<ActorCondition> Conditions { get; init; }

    public string? Actor { get; init; }

    public string? Transport { get; init; }

    public string? Queue { get; init; }

    public int? Replicas { get; init; }

    public int? ReadyReplicas { get; init; }

    public long? QueueDepth { get; init; }

    public long? InFlight { get; init; }
}
