using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>A message received from an in-memory queue; the lease identifies this delivery.</summary>
internal sealed class InMemoryTransportMessage : TransportMessage
{
    public required long Sequence { get; init; }

    public required long Lease { get; init; }
}
