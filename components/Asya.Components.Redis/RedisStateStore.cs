using System.Globalization;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Asya.Components.Redis;

/// <summary>
/// <c>state.redis</c>: Dapr's storage layout (hash with <c>data</c> and <c>version</c>; ETag = version as a decimal
/// string), so data written by a Dapr sidecar reads back here and the other way round. TTLs are Redis expiries;
/// a transaction is one Lua script.
/// Keys are stored as given; Dapr's <c>keyPrefix</c> strategy is applied by whoever builds the key.
/// </summary>
internal sealed class RedisStateStore(TimeProvider timeProvider, ILogger<RedisStateStore> logger) : IStateStore, ITransactionalStateStore
{
    /// <summary>A store that only keeps results by id never queries, so the indexes would change nothing.</summary>
    public const string QueryIndexesWarning =
        "queryIndexes: the state query API is not served here, so no RedisJSON/RediSearch index is created; "
        + "the store keeps envelopes by id, which needs none (remove the key to silence this)";

    public IReadOnlyCollection<string> Features { get; } = [StateStoreFeatures.ETag, StateStoreFeatures.Ttl, StateStoreFeatures.Transactional];

    private ConnectionMultiplexer? _connection;
    private string _name = "state.redis";
    private TimeSpan? _defaultTtl;

    private IDatabase Database => _connection?.GetDatabase()
        ?? throw new InvalidOperationException($"Redis state store '{_name}' is not initialised");

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _name = spec.Name;
        var reader = new MetadataReader(spec);
        var ttl = reader.GetInt(RedisKeys.TtlInSeconds, 0, min: -1);
        _defaultTtl = ttl > 0 ? TimeSpan.FromSeconds(ttl) : null;

        _connection = await RedisConnector.ConnectAsync(reader, logger, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var result = await Database.ScriptEvaluateAsync(RedisStateScripts.Get, [key]).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var pttl = (long)parts[2];
        DateTimeOffset? expiresAt = pttl > 0 ? timeProvider.GetUtcNow().AddMilliseconds(pttl) : null;
        return new StateEntry(key, (byte[]?)parts[0] ?? [], (string)parts[1]!, expiresAt);
    }

    public async ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Key);
        var result = await Database.ScriptEvaluateAsync(
            RedisStateScripts.Set,
            [request.Key],
            [request.ETag ?? string.Empty, request.FirstWrite ? "1" : "0", request.Value, TtlMilliseconds(request)]).ConfigureAwait(false);
        var version = (long)result;
        return version >= 0
            ? version.ToString(CultureInfo.InvariantCulture)
            : throw new ETagMismatchException(request.ETag is null
                ? $"state store '{_name}': key '{request.Key}' already exists (first-write)"
                : $"state store '{_name}': ETag mismatch for key '{request.Key}'");
    }

    public async ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var result = (long)await Database.ScriptEvaluateAsync(RedisStateScripts.Delete, [key], [etag ?? string.Empty]).ConfigureAwait(false);
        return result >= 0
            ? result > 0
            : throw new ETagMismatchException($"state store '{_name}': ETag mismatch for key '{key}'");
    }

    /// <summary>
    /// One Lua script checks every condition and then writes, so the server runs nothing else in between and a failed
    /// condition leaves nothing behind (a MULTI does not roll back the commands before one that fails).
    /// </summary>
    public async ValueTask ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        StateTransaction.Validate(operations);
        if (operations.Count == 0)
        {
            return;
        }

        var keys = new RedisKey[operations.Count];
        var args = new RedisValue[operations.Count * 5];
        for (var i = 0; i < operations.Count; i++)
        {
            keys[i] = operations[i].Key;
            var (kind, etag, firstWrite, data, ttlMs) = operations[i] switch
            {
                StateUpsert { Request: var r } => ("set", r.ETag, r.FirstWrite, (RedisValue)r.Value, TtlMilliseconds(r)),
                StateDelete delete => ("del", delete.ETag, false, RedisValue.EmptyString, 0L),
                _ => throw new ArgumentException($"state transaction: unknown operation {operations[i].GetType().Name}", nameof(operations)),
            };
            args[i * 5] = kind;
            args[(i * 5) + 1] = etag ?? string.Empty;
            args[(i * 5) + 2] = firstWrite ? "1" : "0";
            args[(i * 5) + 3] = data;
            args[(i * 5) + 4] = ttlMs;
        }

        var failed = (long)await Database.ScriptEvaluateAsync(RedisStateScripts.Transact, keys, args).ConfigureAwait(false);
        if (failed > 0)
        {
            throw StateTransaction.Mismatch(operations, (int)failed - 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private long TtlMilliseconds(StateSetRequest request) =>
        (request.Ttl ?? _defaultTtl) is { } ttl && ttl > TimeSpan.Zero ? Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds)) : 0;
}
