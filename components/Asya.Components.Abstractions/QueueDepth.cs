namespace Asya.Components.Abstractions;

/// <summary>Messages of one queue by state.</summary>
/// <param name="Ready">Visible and waiting for a consumer.</param>
/// <param name="InFlight">Received and not yet acked.</param>
/// <param name="Delayed">Sent with a delay (or nacked with one) that has not yet passed.</param>
public readonly record struct QueueDepth(long Ready, long InFlight, long Delayed)
{
    /// <summary>Everything in the queue.</summary>
    public long Total => Ready + InFlight + Delayed;
}
