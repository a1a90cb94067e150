using Asya.Components.Abstractions;

namespace Asya.Components.Redis;

/// <summary>Creates <c>pubsub.redis</c> transports (Redis Streams).</summary>
internal sealed class RedisTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.redis"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
    [
        .. RedisKeys.Connection,
        RedisKeys.ConsumerId,
        RedisKeys.ProcessingTimeout,
        RedisKeys.RedeliverInterval,
        RedisKeys.QueueDepth,
        RedisKeys.Concurrency,
        RedisKeys.MaxLenApprox,
        RedisKeys.StreamTtl,
    ];

    public IComponent Create(IServiceProvider services) =>
        new RedisStreamsTransport(services.TimeProvider(), services.Logger<RedisStreamsTransport>());
}
