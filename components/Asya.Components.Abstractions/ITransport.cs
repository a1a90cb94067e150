namespace Asya.Components.Abstractions;

/// <summary>
/// A message queue with one queue per actor. At-least-once: a received message is redelivered unless acked.
/// Optional features are separate interfaces (<see cref="IQueueDepthSource"/>, <see cref="IQueueAdmin"/>,
/// <see cref="ILeaseExtender"/>), checked with <c>is</c>.
/// </summary>
public interface ITransport : IComponent
{
    /// <summary>
    /// Waits up to <see cref="ReceiveOptions.WaitTime"/> for messages and returns at most
    /// <see cref="ReceiveOptions.MaxMessages"/>; an empty list means no work yet.
    /// </summary>
    ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken);

    /// <summary>Sends durably; returns once the broker has the message. A positive delay hides it until then.</summary>
    ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Removes a received message for good.</summary>
    ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken);

    /// <summary>Gives a received message back for redelivery, after <paramref name="delay"/> when positive.</summary>
    ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken);
}
