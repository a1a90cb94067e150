using Asya.Components.Abstractions;

namespace Asya.Components.Redis;

/// <summary>A stream entry delivered to this transport's consumer; <see cref="TransportMessage.Id"/> is the entry id.</summary>
internal sealed class RedisStreamMessage : TransportMessage
{
    public required RedisStreamsTransport Owner { get; init; }
}
