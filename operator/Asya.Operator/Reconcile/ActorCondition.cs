namespace Asya.Operator.Reconcile;

/// <summary>One status condition as computed by a reconcile (<c>lastTransitionTime</c> is added by <see cref="StatusBuilder"/>).</summary>
internal sealed record ActorCondition(string Type, string Status, string Reason, string Message)
{
    public const string TransportReady = "TransportReady";
    public const string WorkloadReady = "WorkloadReady";
    public const string ScalingReady = "ScalingReady";

    public static ActorCondition True(string type, string reason, string message) => new(type, "True", reason, message);

    public static ActorCondition False(string type, string reason, string message) => new(type, "False", reason, message);

    public static ActorCondition Unknown(string type, string reason, string message) => new(type, "Unknown", reason, message);
}
