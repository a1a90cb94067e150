using System.Globalization;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Asya.Components.PostgreSql;

/// <summary>
/// <c>state.postgresql</c>: Dapr's v2 table layout and ETag, first-write and TTL semantics on PostgreSQL, so a table
/// written by a Dapr sidecar reads back here and the other way round. Expired rows are invisible at once and deleted
/// by a periodic sweep (<c>cleanupInterval</c>, default 1h) that one process per interval runs. Transactions are one
/// database transaction: a conditional write locks its row, so of two racing on one ETag the second sees the new ETag.
/// </summary>
internal sealed class PostgreSqlStateStore(TimeProvider timeProvider, ILogger<PostgreSqlStateStore> logger) : IStateStore, ITransactionalStateStore
{
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlStateSql? _sql;
    private PostgreSqlStateSettings? _settings;
    private ITimer? _cleanup;
    private readonly Lock _gate = new();
    private Task _sweep = Task.CompletedTask;
    private string _name = "state.postgresql";

    public IReadOnlyCollection<string> Features { get; } = [StateStoreFeatures.ETag, StateStoreFeatures.Ttl, StateStoreFeatures.Transactional];

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _name = spec.Name;
        var settings = PostgreSqlSettingsReader.Read(spec);
        var sql = new PostgreSqlStateSql(settings.Table, settings.MetadataTable);
        var dataSource = NpgsqlDataSource.Create(settings.Connection);
        int version;
        try
        {
            var (from, to) = await PostgreSqlSchema.EnsureAsync(dataSource, sql, settings.MigrationKey, cancellationToken).ConfigureAwait(false);
            if (from != to)
            {
                logger.SchemaUpgraded(spec.Name, settings.Table, from, to);
            }

            version = to;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot open the PostgreSQL state table {settings.Table} on {settings.Describe()}: {ex.Message}", ex);
        }

        (_dataSource, _sql, _settings) = (dataSource, sql, settings);
        if (settings.CleanupInterval is { } interval)
        {
            _cleanup = timeProvider.CreateTimer(_ => StartSweep(), null, interval, interval);
        }

        var server = settings.Describe();
        logger.StateStoreOpened(spec.Name, server, settings.Table, version);
    }

    public async ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var command = Command(Sql.Get, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Entry(reader, key, 0) : null;
    }

    public async ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return [];
        }

        var found = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        await using (var command = Command(Sql.GetMany, keys.ToArray()))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                found[key] = Entry(reader, key, 1);
            }
        }

        return [.. keys.Select(k => found.GetValueOrDefault(k))];
    }

    public async ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Key);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await WriteAsync(connection, null, request, cancellationToken).ConfigureAwait(false) ?? throw (request.ETag is { Length: > 0 }
            ? Mismatch(request.Key)
            : new ETagMismatchException($"state store '{_name}': key '{request.Key}' already exists (first-write)"));
    }

    public async ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await RemoveAsync(connection, null, key, etag, cancellationToken).ConfigureAwait(false) ?? throw Mismatch(key);
    }

    public async ValueTask ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        StateTransaction.Validate(operations);
        if (operations.Count == 0)
        {
            return;
        }

        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < operations.Count; i++)
        {
            var applied = operations[i] switch
            {
                StateUpsert upsert => await WriteAsync(connection, transaction, upsert.Request, cancellationToken).ConfigureAwait(false) is not null,
                StateDelete delete => await RemoveAsync(connection, transaction, delete.Key, delete.ETag, cancellationToken).ConfigureAwait(false) is not null,
                _ => throw new ArgumentException($"state transaction: operation {i + 1} is neither an upsert nor a delete", nameof(operations)),
            };
            if (!applied)
            {
                // Disposing the transaction uncommitted rolls back what the operations before this one wrote.
                throw StateTransaction.Mismatch(operations, i);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The write's new ETag, or null when its ETag or first-write condition failed (nothing written).</summary>
    private async ValueTask<string?> WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, StateSetRequest request, CancellationToken cancellationToken)
    {
        Guid? expected = null;
        if (request.ETag is { Length: > 0 } text)
        {
            // Dapr's ETags are UUIDs: anything else can match no row.
            if (!Guid.TryParse(text, out var parsed))
            {
                return null;
            }

            expected = parsed;
        }

        var now = timeProvider.GetUtcNow();
        object expires = request.Ttl is { } ttl && ttl > TimeSpan.Zero ? (now + ttl).UtcDateTime : DBNull.Value;
        var etag = Guid.NewGuid();
        var statement = expected is not null ? Sql.UpdateIfMatch : request.FirstWrite ? Sql.InsertNew : Sql.Upsert;
        await using var command = Command(connection, transaction, statement, request.Key, now);
        command.Parameters.Add(new NpgsqlParameter { Value = request.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = etag });
        command.Parameters.Add(new NpgsqlParameter { Value = expires, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (expected is { } match)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = match });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? etag.ToString() : null;
    }

    /// <summary>Whether a live row was deleted; null when an ETag was given and did not match a live row.</summary>
    private async ValueTask<bool?> RemoveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string key, string? etag, CancellationToken cancellationToken)
    {
        Guid? expected = null;
        if (etag is { Length: > 0 })
        {
            if (!Guid.TryParse(etag, out var parsed))
            {
                return null;
            }

            expected = parsed;
        }

        await using var command = Command(connection, transaction, expected is null ? Sql.Delete : Sql.DeleteIfMatch, key);
        if (expected is { } match)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = match });
        }

        var live = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        return live || expected is null ? live : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cleanup is not null)
        {
            await _cleanup.DisposeAsync().ConfigureAwait(false);
        }

#pragma warning disable VSTHRD003 // the sweep is this store's own task; closing waits for it before the pool goes
        await Sweep.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The latest sweep (completed when none runs), so closing, and tests, can wait for it.</summary>
    internal Task Sweep
    {
        get
        {
            lock (_gate)
            {
#pragma warning disable VSTHRD003 // the store started this task itself (StartSweep)
                return _sweep;
#pragma warning restore VSTHRD003
            }
        }
    }

    private PostgreSqlStateSql Sql => _sql ?? throw new InvalidOperationException($"PostgreSQL state store '{_name}' is not initialised");

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException($"PostgreSQL state store '{_name}' is not initialised");

    private ETagMismatchException Mismatch(string key) =>
        new($"state store '{_name}': ETag mismatch for key '{key}' (or the key does not exist)");

    /// <summary>A command with $1 and $2 bound: the key (or keys) and now, which every statement on the state table takes.</summary>
    private NpgsqlCommand Command(string text, object key, DateTimeOffset? now = null) => Bind(DataSource.CreateCommand(text), key, now);

    /// <summary>The same, on an open connection (and its transaction, if any).</summary>
    private NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string text, object key, DateTimeOffset? now = null) =>
        Bind(new NpgsqlCommand(text, connection, transaction), key, now);

    private NpgsqlCommand Bind(NpgsqlCommand command, object key, DateTimeOffset? now)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = (now ?? timeProvider.GetUtcNow()).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }

    private static StateEntry Entry(NpgsqlDataReader reader, string key, int first)
    {
        var value = reader.GetFieldValue<byte[]>(first);
        var etag = reader.GetGuid(first + 1).ToString();
        DateTimeOffset? expires = reader.IsDBNull(first + 2) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(first + 2), TimeSpan.Zero);
        return new StateEntry(key, value, etag, expires);
    }

    /// <summary>Called by the timer; a sweep still running (a slow delete) makes this tick a no-op.</summary>
    private void StartSweep()
    {
        lock (_gate)
        {
            if (_sweep.IsCompleted)
            {
                _sweep = SweepAsync();
            }
        }
    }

    private async Task SweepAsync()
    {
        var interval = _settings!.CleanupInterval!.Value;
        try
        {
            var now = timeProvider.GetUtcNow();
            await using (var claim = DataSource.CreateCommand(Sql.ClaimCleanup))
            {
                // 100 ms of slack, as Dapr, so a timer that fires a little early still counts as a full interval.
                claim.Parameters.Add(new NpgsqlParameter { Value = _settings.CleanupKey });
                claim.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
                claim.Parameters.Add(new NpgsqlParameter
                {
                    Value = (now - interval + TimeSpan.FromMilliseconds(100)).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz,
                });
                if (await claim.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
                {
                    return; // another process swept within this interval
                }
            }

            await using var delete = DataSource.CreateCommand(Sql.DeleteExpired);
            delete.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            var removed = await delete.ExecuteNonQueryAsync().ConfigureAwait(false);
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
            logger.CleanupFailed(_name, interval, ex);
        }
    }
}
