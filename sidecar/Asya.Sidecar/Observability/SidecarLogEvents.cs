namespace Asya.Sidecar.Observability;

/// <summary>
/// The sidecar's log events that other processes act on: <c>asya up</c> reads them from <c>--log-format json</c> lines
/// (<c>EventId</c>, <c>EventName</c>, fields under <c>State</c>). Their ids and fields are the contract; their message
/// wording is for people and may change.
/// </summary>
public static class SidecarLogEvents
{
    /// <summary>An envelope left this actor. Fields: <c>EnvelopeId</c>, <c>Actor</c>, <c>Outcome</c>, <c>Destination</c>, <c>DurationMs</c>.</summary>
    public const int EnvelopeHandled = 1;

    /// <summary>The runtime process exited and is restarted. Fields: <c>Pid</c>, <c>Exit</c> (code or signal, as text).</summary>
    public const int RuntimeExited = 19;

    /// <summary>The <c>--metrics-addr</c> port is taken by another process; the sidecar exits 2. Field: <c>Address</c> (as given).</summary>
    public const int MetricsAddressInUse = 42;
}
