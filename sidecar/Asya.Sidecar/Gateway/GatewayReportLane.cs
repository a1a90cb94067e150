namespace Asya.Sidecar.Gateway;

/// <summary>
/// One task's reports waiting for the sender, in the order they were made. <see cref="Scheduled"/> while a sender owns
/// the lane (queued for a slot or sending): that single owner is what keeps one request per task in flight.
/// Guarded by the reporter's lock.
/// </summary>
internal sealed class GatewayReportLane(GatewayTarget target)
{
    public GatewayTarget Target { get; } = target;

    public Queue<GatewayReport> Waiting { get; } = new();

    public bool Scheduled { get; set; }
}
