using Asya.Components.Abstractions;

namespace Asya.Components.Redis;

/// <summary>Creates <c>state.redis</c> stores.</summary>
internal sealed class RedisStateStoreFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["state.redis"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } =
    [
        .. RedisKeys.Connection,
        RedisKeys.TtlInSeconds,
        RedisKeys.QueryIndexes,
    ];

    public IComponent Create(IServiceProvider services) =>
        new RedisStateStore(services.TimeProvider(), services.Logger<RedisStateStore>());
}
