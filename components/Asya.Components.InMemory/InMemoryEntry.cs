namespace Asya.Components.InMemory;

/// <summary>One message of an <see cref="InMemoryQueue"/>; mutated only under the queue's lock.</summary>
internal sealed class InMemoryEntry(long sequence, byte[] body, IReadOnlyDictionary<string, string> headers)
{
    public long Sequence { get; } = sequence;

    public byte[] Body { get; } = body;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public DateTimeOffset VisibleAt { get; set; }

    /// <summary>The current delivery's lease; 0 when nobody holds it.</summary>
    public long Lease { get; set; }

    public int DeliveryCount { get; set; }

    /// <summary>Bumped on every change so older schedule items for this entry are recognised as stale.</summary>
    public int Version { get; set; }

    public bool Removed { get; set; }
}
