namespace Asya.Runtime.Protocol;

/// <summary>Values of <c>status.reason</c> written by our sidecar.</summary>
public static class EnvelopeReason
{
    /// <summary>The route ended or the handler returned nothing.</summary>
    public const string Completed = "Completed";

    /// <summary>The handler failed (or its runtime died while handling it) and no retry policy applied.</summary>
    public const string RuntimeError = "RuntimeError";

    /// <summary>The pipeline deadline passed, or the handler ran past the actor timeout.</summary>
    public const string Timeout = "Timeout";

    /// <summary>The queue message was not a valid envelope.</summary>
    public const string ParseError = "ParseError";

    /// <summary>The envelope reached an actor its route does not name.</summary>
    public const string RouteMismatch = "RouteMismatch";

    /// <summary>A route names an actor that cannot exist (not a DNS label): no queue of it would ever be read.</summary>
    public const string RouteInvalid = "RouteInvalid";

    /// <summary>A retry policy ran out of attempts or time.</summary>
    public const string PolicyExhausted = "PolicyExhausted";

    /// <summary>A retry policy ran out and sent the envelope to its <c>onExhausted</c> route.</summary>
    public const string PolicyRouted = "PolicyRouted";

    /// <summary>The transport delivered the message more often than allowed.</summary>
    public const string MaxDeliveries = "MaxDeliveries";

    /// <summary>The sidecar itself failed while processing the delivery (a defect); <c>status.error.type</c> names the exception.</summary>
    public const string SidecarError = "SidecarError";

    /// <summary>The gateway said the task was canceled; the envelope went to x-sink instead of the handler.</summary>
    public const string PreFlightCanceled = "PreFlightCanceled";

    /// <summary>The gateway said the task is paused; the envelope went to x-sink instead of the handler.</summary>
    public const string PreFlightPaused = "PreFlightPaused";

    /// <summary>x-pause stored the envelope as a checkpoint until the task is resumed.</summary>
    public const string Paused = "Paused";
}
