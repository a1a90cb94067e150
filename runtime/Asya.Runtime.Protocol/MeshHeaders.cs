namespace Asya.Runtime.Protocol;

/// <summary>Reserved header names (upstream Asya v1; docs/design.md §1).</summary>
public static class MeshHeaders
{
    /// <summary>W3C trace context.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>W3C trace state.</summary>
    public const string TraceState = "tracestate";

    /// <summary>RFC 3339 time of the first attempt on the current actor; never overwritten while the actor stays.</summary>
    public const string FirstAttempt = "x-asya-first-attempt";

    /// <summary>Map <c>{logicalActor: targetActor}</c>: send to the target's queue instead.</summary>
    public const string RouteOverride = "x-asya-route-override";

    /// <summary>Audit map <c>{logicalActor: {"target", "by"}}</c> written when an override was applied.</summary>
    public const string RouteResolved = "x-asya-route-resolved";
}
