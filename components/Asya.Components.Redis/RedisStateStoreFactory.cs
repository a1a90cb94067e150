using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

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

    public IReadOnlyCollection<string> NoEffectKeys { get; } = [.. RedisKeys.Streams, .. RedisKeys.PoolKeys, .. RedisKeys.OidcKeys];

    public void Validate(ComponentSpec spec, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var reader = new MetadataReader(spec);
        RedisConnector.ReadOptions(reader, NullLogger.Instance);
        reader.GetInt(RedisKeys.TtlInSeconds, 0, min: -1);
        if (reader.GetString(RedisKeys.QueryIndexes) is not null)
        {
            warnings.Add(RedisStateStore.QueryIndexesWarning);
        }
    }

    public IComponent Create(IServiceProvider services) =>
        new RedisStateStore(services.TimeProvider(), services.Logger<RedisStateStore>());
}
