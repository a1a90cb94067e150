using Asya.Components.Abstractions;

namespace Asya.Components.Redis;

/// <summary>A stream entry delivered to this transport's consumer; <see cref="TransportMessage.Id"/> is the entry id.</summary>
internal sealed class RedisStreamMessage : TransportMessage
{
    public required RedisStreamsTransport Owner { get; init; }

    /// <summary>
    /// The group's delivery count of the entry when this copy was handed out. The same consumer may take the entry again
    /// after its lease ran out; an ack, nack or extension carrying an older count is stale and must not touch it.
    /// </summary>
    public long TimesDelivered { get; init; }
}
