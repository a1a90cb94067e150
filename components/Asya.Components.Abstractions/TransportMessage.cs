namespace Asya.Components.Abstractions;

/// <summary>
/// A received message. Each transport subclasses it to carry its receipt (row id, delivery tag, receipt handle…)
/// and accepts only its own subclass in ack and nack.
/// </summary>
public abstract class TransportMessage
{
    /// <summary>Transport's message id.</summary>
    public required string Id { get; init; }

    /// <summary>Queue it was received from.</summary>
    public required string Queue { get; init; }

    /// <summary>Raw body.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Transport-level headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>How many times this message was delivered, this delivery included (1 on the first).</summary>
    public int DeliveryCount { get; init; } = 1;
}
