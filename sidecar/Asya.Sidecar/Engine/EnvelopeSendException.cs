namespace Asya.Sidecar.Engine;

/// <summary>
/// The transport refused an envelope the sidecar handed it: the one failure after which a delivery is nacked for
/// redelivery (docs/design.md §4) instead of ending at x-sump, since no queue took the envelope on.
/// </summary>
internal sealed class EnvelopeSendException(string queue, Exception inner)
    : Exception($"sending to {queue} failed: {inner.Message}", inner)
{
    public string Queue { get; } = queue;
}
