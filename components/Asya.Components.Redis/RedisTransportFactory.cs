using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.Redis;

/// <summary>Creates <c>pubsub.redis</c> transports (Redis Streams).</summary>
internal sealed class RedisTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.redis"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
    [
        .. RedisKeys.Connection,
        RedisKeys.ProcessingTimeout,
        RedisKeys.RedeliverInterval,
        RedisKeys.MaxLenApprox,
    ];

    // Consumer group and workers are the mesh's (group 'asya', --concurrency); the state half means nothing on a stream.
    public IReadOnlyCollection<string> NoEffectKeys { get; } =
    [
        RedisKeys.ConsumerId, RedisKeys.QueueDepth, RedisKeys.Concurrency, RedisKeys.StreamTtl, .. RedisKeys.State,
        .. RedisKeys.PoolKeys, .. RedisKeys.OidcKeys,
    ];

    public void Validate(ComponentSpec spec, ICollection<string> warnings) =>
        RedisConnector.ReadOptions(new MetadataReader(spec), NullLogger.Instance);

    public IComponent Create(IServiceProvider services) =>
        new RedisStreamsTransport(services.TimeProvider(), services.Logger<RedisStreamsTransport>());
}
