using System.Text;
using System.Text.RegularExpressions;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Sqlite;

/// <summary>
/// <c>state.sqlite</c>: Dapr's table layout, ETag/first-write/TTL semantics and transactions on one SQLite file, which
/// may be the same file as the <c>pubsub.sqlite</c> transport's. Expired rows are invisible at once and deleted by an optional
/// background sweep (<c>cleanupInterval</c>).
/// </summary>
internal sealed partial class SqliteStateStore(TimeProvider timeProvider, ILogger<SqliteStateStore> logger) : IStateStore, ITransactionalStateStore
{
    public const string ConnectionStringKey = "connectionString";
    public const string UrlKey = "url";
    public const string TableNameKey = "tableName";
    public const string MetadataTableNameKey = "metadataTableName";
    public const string TimeoutKey = "timeout";
    public const string TimeoutInSecondsKey = "timeoutInSeconds";
    public const string BusyTimeoutKey = "busyTimeout";
    public const string DisableWalKey = "disableWAL";
    public const string CleanupIntervalKey = "cleanupInterval";
    public const string CleanupIntervalInSecondsKey = "cleanupIntervalInSeconds";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public IReadOnlyCollection<string> Features { get; } = [StateStoreFeatures.ETag, StateStoreFeatures.Ttl, StateStoreFeatures.Transactional];

    private SqliteDatabase? _database;
    private SqliteStateSql? _sql;
    private ITimer? _cleanup;
    private string _name = "";

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _name = spec.Name;
        var reader = new MetadataReader(spec);
        var table = reader.GetString(TableNameKey) ?? "state";
        if (!IdentifierPattern().IsMatch(table))
        {
            throw ComponentConfigurationException.InvalidValue(spec, TableNameKey, table, "must be a plain SQL name (letters, digits, underscores)");
        }

        var timeoutKey = reader.GetString(TimeoutKey) is null && reader.GetString(TimeoutInSecondsKey) is not null ? TimeoutInSecondsKey : TimeoutKey;
        var timeout = reader.GetDuration(timeoutKey, TimeSpan.FromSeconds(20));
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw ComponentConfigurationException.InvalidValue(spec, timeoutKey, reader.GetString(timeoutKey), "must be at least 1s");
        }

        var busyTimeout = reader.GetDuration(BusyTimeoutKey, TimeSpan.FromSeconds(2));
        var cleanupKey = reader.GetString(CleanupIntervalKey) is null && reader.GetString(CleanupIntervalInSecondsKey) is not null
            ? CleanupIntervalInSecondsKey
            : CleanupIntervalKey;
        var cleanupInterval = reader.GetDuration(cleanupKey, TimeSpan.Zero);
        var wal = !reader.GetBool(DisableWalKey, defaultValue: false);

        var settings = SqliteSettingsReader.Read(reader, ConnectionStringKey, UrlKey, busyTimeout, timeout, wal);
        _sql = new SqliteStateSql(table);
        _database = SqliteSettingsReader.Open(spec, ConnectionStringKey, settings, _sql.Schema);
        if (cleanupInterval > TimeSpan.Zero)
        {
            _cleanup = timeProvider.CreateTimer(_ => _ = CleanupAsync(), null, cleanupInterval, cleanupInterval);
        }

        logger.StateStoreOpened(spec.Name, settings.DataSource, table);
        return ValueTask.CompletedTask;
    }

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = SqliteStateSql.Time(timeProvider.GetUtcNow());
        var entry = Database.Read(connection =>
        {
            var command = connection.Command(Sql.Get, "$key", "$now");
            command.Parameters[0].Value = key;
            command.Parameters[1].Value = now;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var text = reader.GetString(0);
            var value = reader.GetBoolean(1) ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
            DateTimeOffset? expires = reader.IsDBNull(3) ? null : SqliteStateSql.ParseTime(reader.GetString(3));
            return new StateEntry(key, value, reader.GetString(2), expires);
        });
        return ValueTask.FromResult(entry);
    }

    public async ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Key);
        var now = timeProvider.GetUtcNow();
        var etag = await Database.TransactionAsync(connection => Write(connection, request, now), cancellationToken).ConfigureAwait(false);
        return etag ?? throw new ETagMismatchException(request.ETag is { Length: > 0 }
            ? $"state key '{request.Key}': the ETag does not match the stored entry (or the key does not exist)"
            : $"state key '{request.Key}': first-write failed because the key already exists");
    }

    public async ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = SqliteStateSql.Time(timeProvider.GetUtcNow());
        var deleted = await Database.WriteAsync(connection => Remove(connection, key, etag, now), cancellationToken).ConfigureAwait(false);
        if (!deleted && etag is { Length: > 0 })
        {
            throw new ETagMismatchException($"state key '{key}': the ETag does not match the stored entry (or the key does not exist)");
        }

        return deleted;
    }

    /// <summary>
    /// Runs the operations in one SQLite transaction (<c>BEGIN IMMEDIATE</c>): the first failed condition throws, which
    /// rolls back what the ones before it wrote.
    /// </summary>
    public async ValueTask ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        StateTransaction.Validate(operations);
        if (operations.Count == 0)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var nowText = SqliteStateSql.Time(now);
        await Database.TransactionAsync(
            connection =>
            {
                for (var i = 0; i < operations.Count; i++)
                {
                    var applied = operations[i] switch
                    {
                        StateUpsert upsert => Write(connection, upsert.Request, now) is not null,
                        StateDelete delete => Remove(connection, delete.Key, delete.ETag, nowText) || delete.ETag is not { Length: > 0 },
                        _ => false,
                    };
                    if (!applied)
                    {
                        throw StateTransaction.Mismatch(operations, i);
                    }
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup.DisposeAsync().ConfigureAwait(false);
        }

        _database?.Dispose();
    }

    private SqliteDatabase Database => _database ?? throw new InvalidOperationException("The SQLite state store is not initialised.");

    private SqliteStateSql Sql => _sql ?? throw new InvalidOperationException("The SQLite state store is not initialised.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    /// <summary>One write inside an open transaction; returns the new ETag, or null when its condition failed.</summary>
    private string? Write(PooledConnection connection, StateSetRequest request, DateTimeOffset now)
    {
        var nowText = SqliteStateSql.Time(now);
        var (text, binary) = Encode(request.Value);
        var etag = Guid.NewGuid().ToString();
        object expires = request.Ttl is { } ttl && ttl > TimeSpan.Zero ? SqliteStateSql.Time(now + ttl) : DBNull.Value;
        if (request.ETag is { Length: > 0 } match)
        {
            var update = connection.Command(Sql.UpdateIfMatch, "$value", "$binary", "$etag", "$expires", "$now", "$key", "$match");
            Bind(update, text, binary, etag, expires, nowText, request.Key);
            update.Parameters[6].Value = match;
            return update.ExecuteNonQuery() > 0 ? etag : null;
        }

        if (request.FirstWrite)
        {
            // An expired row does not count as existing.
            var purge = connection.Command(Sql.DeleteExpiredKey, "$key", "$now");
            purge.Parameters[0].Value = request.Key;
            purge.Parameters[1].Value = nowText;
            purge.ExecuteNonQuery();
            var insert = connection.Command(Sql.InsertNew, "$value", "$binary", "$etag", "$expires", "$now", "$key");
            Bind(insert, text, binary, etag, expires, nowText, request.Key);
            return insert.ExecuteNonQuery() > 0 ? etag : null;
        }

        var upsert = connection.Command(Sql.Upsert, "$value", "$binary", "$etag", "$expires", "$now", "$key");
        Bind(upsert, text, binary, etag, expires, nowText, request.Key);
        upsert.ExecuteNonQuery();
        return etag;
    }

    /// <summary>Deletes a live row (only with that ETag when one is given); returns whether a row went.</summary>
    private bool Remove(PooledConnection connection, string key, string? etag, string now)
    {
        var command = etag is { Length: > 0 }
            ? connection.Command(Sql.DeleteIfMatch, "$key", "$now", "$match")
            : connection.Command(Sql.Delete, "$key", "$now");
        command.Parameters[0].Value = key;
        command.Parameters[1].Value = now;
        if (etag is { Length: > 0 })
        {
            command.Parameters[2].Value = etag;
        }

        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Dapr keeps the value as text; bytes that are not UTF-8 are stored base64 with <c>is_binary</c> set.</summary>
    private static (string Text, bool Binary) Encode(ReadOnlyMemory<byte> value)
    {
        try
        {
            return (StrictUtf8.GetString(value.Span), false);
        }
        catch (DecoderFallbackException)
        {
            return (Convert.ToBase64String(value.Span), true);
        }
    }

    private static void Bind(Microsoft.Data.Sqlite.SqliteCommand command, string text, bool binary, string etag, object expires, string now, string key)
    {
        command.Parameters[0].Value = text;
        command.Parameters[1].Value = binary;
        command.Parameters[2].Value = etag;
        command.Parameters[3].Value = expires;
        command.Parameters[4].Value = now;
        command.Parameters[5].Value = key;
    }

    private async Task CleanupAsync()
    {
        try
        {
            var now = SqliteStateSql.Time(timeProvider.GetUtcNow());
            var removed = await Database.WriteAsync(
                connection =>
                {
                    var command = connection.Command(Sql.DeleteExpired, "$now");
                    command.Parameters[0].Value = now;
                    return command.ExecuteNonQuery();
                },
                CancellationToken.None).ConfigureAwait(false);
            logger.ExpiredRemoved(_name, removed);
        }
        catch (ObjectDisposedException)
        {
            // The store closed while a sweep was due.
        }
#pragma warning disable CA1031 // A failed sweep is retried on the next tick; it must not crash the timer thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.CleanupFailed(_name, ex);
        }
    }
}
