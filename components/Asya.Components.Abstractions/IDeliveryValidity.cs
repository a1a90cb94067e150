namespace Asya.Components.Abstractions;

/// <summary>
/// A transport that knows when a message it handed out can no longer be settled: its channel or connection is gone, so
/// the broker has taken the message back and will deliver it again. Handling it now would be certain duplicate work
/// (a GPU call run twice), so the receiver drops it instead and waits for the redelivery.
/// </summary>
public interface IDeliveryValidity
{
    /// <summary>False once <paramref name="message"/> can no longer be acked or nacked by this transport.</summary>
    bool IsStillHeld(TransportMessage message);
}
