namespace Asya.Operator.Model;

/// <summary><c>spec.scaling</c> with the CRD defaults applied.</summary>
public sealed record ScalingSpec
{
    public bool Enabled { get; init; } = true;

    public int MinReplicaCount { get; init; }

    public int MaxReplicaCount { get; init; } = 10;

    public int PollingInterval { get; init; } = 30;

    public int CooldownPeriod { get; init; } = 300;

    public int QueueLength { get; init; } = 5;

    public int ActivationQueueLength { get; init; }

    public bool CountInFlight { get; init; } = true;
}
