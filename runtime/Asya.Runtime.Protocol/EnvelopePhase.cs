namespace Asya.Runtime.Protocol;

/// <summary>Values of <c>status.phase</c>. Kept as strings so envelopes from newer writers still parse.</summary>
public static class EnvelopePhase
{
    /// <summary>Queued for the actor in <c>status.actor</c>.</summary>
    public const string Pending = "pending";

    /// <summary>Handed to a runtime.</summary>
    public const string Processing = "processing";

    /// <summary>Failed and queued again for a later attempt.</summary>
    public const string Retrying = "retrying";

    /// <summary>Finished; the route ended or the handler returned nothing.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Finished with an error.</summary>
    public const string Failed = "failed";

    /// <summary>Waiting for external input.</summary>
    public const string Paused = "paused";

    /// <summary>Stopped by a client.</summary>
    public const string Canceled = "canceled";

    /// <summary>True for phases after which no actor processes the envelope.</summary>
    public static bool IsTerminal(string? phase) =>
        phase is Succeeded or Failed or Paused or Canceled;
}
