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

    /// <summary>Base URL of the gateway's mesh port; an envelope that carries it is a task the sidecars report on.</summary>
    public const string GatewayUrl = "x-asya-gateway-url";

    /// <summary><c>off</c> turns gateway reporting and pre-flight off for the envelope (stealth).</summary>
    public const string MeshStatus = "x-asya-mesh-status";

    /// <summary>Pause metadata (a JSON object, or a string holding one) that x-pause stores and reports instead of its default.</summary>
    public const string PauseMetadata = "x-asya-pause-metadata";

    /// <summary>Id of the paused task a message to x-resume resumes.</summary>
    public const string ResumeTask = "x-asya-resume-task";

    /// <summary>Seconds left of the task's time when it paused; x-resume stamps <c>status.deadline_at</c> = now + this.</summary>
    public const string ResumeTimeout = "x-asya-resume-timeout";

    /// <summary>Marks a fan-in partial (upstream); not kept in a pause checkpoint.</summary>
    public const string FanIn = "x-asya-fan-in";
}
