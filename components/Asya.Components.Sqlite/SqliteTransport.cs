using System.Text.Json;
using Asya.Components.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Sqlite;

/// <summary>
/// <c>pubsub.sqlite</c>: every queue lives as rows of one table in one SQLite file, so several processes on one
/// machine share queues durably. <c>visible_at</c> carries visibility timeouts, delays and nack delays; a lease
/// token per claim keeps a holder whose lease expired from acking someone else's delivery.
/// </summary>
internal sealed class SqliteTransport(TimeProvider timeProvider, ILogger<SqliteTransport> logger, bool shareSignals = true, bool watchWal = true)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    public const string ConnectionStringKey = "connectionString";
    public const string PathKey = "path";
    public const string VisibilityTimeoutKey = "visibilityTimeout";
    public const string PollIntervalKey = "pollInterval";
    public const string BusyTimeoutKey = "busyTimeout";

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// A receiver whose poll delay reached this counts its queue as idle, and the WAL watcher wakes it on other
    /// processes' writes; equal to <see cref="FirstPollDelay"/>, so that is after the first empty poll.
    /// </summary>
    // Watching starts after the first empty poll: waiting any longer put the whole backoff (1+2+4+8 ms) into every
    // cross-process hop, about 8 ms p50, while the watcher's cost only matters for queues that are never empty.
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(1);

    /// <summary>Backward steps up to this (ms) are ordinary clock slew, not a jump worth rebasing for.</summary>
    private const long ClockStepTolerance = 1000;

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private QueueSignals _signals = QueueSignals.Private();
    private SqliteDatabase? _database;
    private WalWatcher? _walWatcher;
    private TimeSpan _visibilityTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _pollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Latest wall-clock time (Unix ms) this transport saw; a later reading well below it is a jump back.</summary>
    private long _latestNow;

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reader = new MetadataReader(spec);
        _visibilityTimeout = Positive(reader, VisibilityTimeoutKey, TimeSpan.FromSeconds(30));
        _pollInterval = Positive(reader, PollIntervalKey, TimeSpan.FromMilliseconds(50));
        var busyTimeout = reader.GetDuration(BusyTimeoutKey, TimeSpan.FromSeconds(5));
        var settings = SqliteSettingsReader.Read(
            reader, ConnectionStringKey, PathKey, busyTimeout, commandTimeout: busyTimeout, wal: true);
        _database = SqliteSettingsReader.Open(spec, ConnectionStringKey, settings, SqliteTransportSql.Schema);
        AddStampColumn();
        // The clock may have gone back while no process had the file open.
        Rebase(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        if (shareSignals)
        {
            _signals = QueueSignals.Acquire(QueueSignals.KeyOf(settings));
        }

        if (!settings.InMemory && watchWal)
        {
            _walWatcher = WalWatcher.TryCreate(settings.DataSource, WakeAllReceivers, logger, spec.Name);
        }

        logger.TransportOpened(spec.Name, settings.DataSource);
        return ValueTask.CompletedTask;
    }

    /// <summary>How many WAL changes the watcher reported; for tests.</summary>
    internal long WalChanges => _walWatcher?.Changes ?? 0;

    /// <summary>Receivers waiting on an idle queue; for tests.</summary>
    internal int IdleReceivers => _walWatcher?.IdleReceivers ?? 0;

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(
        string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var visibility = options.VisibilityTimeout ?? _visibilityTimeout;
        var signal = Signal(queue);
        var started = timeProvider.GetTimestamp();
        var delay = FirstPollDelay;
        var idle = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var wake = signal.Next;
                var batch = await TryClaimAsync(queue, options.MaxMessages, visibility, cancellationToken).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    return batch;
                }

                var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return [];
                }

                // Sends through any transport instance on this file in this process wake us at once. Polling, with a backoff from a millisecond up to pollInterval,
                // finds delays, expired leases and other processes' sends; once the queue looks idle, the WAL
                // watcher also wakes us on other processes' writes.
                if (!idle && delay >= IdleDelay)
                {
                    idle = true;
                    _walWatcher?.ChangeIdleReceivers(+1);
                }

                await WaitAsync(wake, remaining < delay ? remaining : delay, cancellationToken).ConfigureAwait(false);
                delay = new Backoff(FirstPollDelay, _pollInterval).Next(delay);
            }
        }
        finally
        {
            if (idle)
            {
                _walWatcher?.ChangeIdleReceivers(-1);
            }
        }
    }

    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        var now = timeProvider.GetUtcNow();
        var visible = message.Delay > TimeSpan.Zero ? now + message.Delay : now;
        var body = message.Body.ToArray();
        var headers = message.Headers is { Count: > 0 } h ? StringMapJson.Serialize(h) : null;
        await Database.WriteAsync(
            connection =>
            {
                var command = connection.Command(SqliteTransportSql.Insert, "$queue", "$body", "$headers", "$now", "$visible");
                command.Parameters[0].Value = queue;
                command.Parameters[1].Value = body;
                command.Parameters[2].Value = (object?)headers ?? DBNull.Value;
                command.Parameters[3].Value = now.ToUnixTimeMilliseconds();
                command.Parameters[4].Value = visible.ToUnixTimeMilliseconds();
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
        if (message.Delay <= TimeSpan.Zero)
        {
            Signal(queue).Pulse();
        }
    }

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var deleted = await Database.WriteAsync(
            connection =>
            {
                var command = connection.Command(SqliteTransportSql.Ack, "$id", "$lease");
                command.Parameters[0].Value = own.RowId;
                command.Parameters[1].Value = own.LeaseToken;
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
        if (deleted == 0)
        {
            logger.StaleLease("ack", own.Id, own.Queue);
        }
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var visible = timeProvider.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        var updated = await UpdateLeasedAsync(SqliteTransportSql.Nack, own, visible, cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            logger.StaleLease("nack", own.Id, own.Queue);
        }
        else if (delay <= TimeSpan.Zero)
        {
            Signal(own.Queue).Pulse();
        }
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var updated = await UpdateLeasedAsync(SqliteTransportSql.Extend, own, timeProvider.GetUtcNow() + extension, cancellationToken)
            .ConfigureAwait(false);
        if (updated == 0)
        {
            logger.StaleLease("lease extension", own.Id, own.Queue);
        }
    }

    public ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var depth = Database.Read(connection =>
        {
            var command = connection.Command(SqliteTransportSql.Depth, "$now", "$queue");
            command.Parameters[0].Value = now;
            command.Parameters[1].Value = queue;
            using var reader = command.ExecuteReader();
            reader.Read();
            return new QueueDepth(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        });
        return ValueTask.FromResult(depth);
    }

    /// <summary>One <c>GROUP BY</c> over the queues asked for, whatever their number (the scaler polls through this).</summary>
    public ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var depths = new Dictionary<string, QueueDepth>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            depths[queue] = default;
        }

        if (depths.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, QueueDepth>>(depths);
        }

        var names = StringMapJson.Serialize(depths.Keys.ToArray());
        Database.Read(connection =>
        {
            var command = connection.Command(SqliteTransportSql.Depths, "$now", "$queues");
            command.Parameters[0].Value = now;
            command.Parameters[1].Value = names;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                depths[reader.GetString(0)] = new QueueDepth(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
            }

            return depths.Count;
        });
        return ValueTask.FromResult<IReadOnlyDictionary<string, QueueDepth>>(depths);
    }

    public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        await Database.WriteAsync(
            connection =>
            {
                var command = connection.Command(SqliteTransportSql.EnsureQueue, "$queue", "$now");
                command.Parameters[0].Value = spec.Name;
                command.Parameters[1].Value = now;
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        await Database.TransactionAsync(
            connection =>
            {
                var command = connection.Command(SqliteTransportSql.DeleteQueue, "$queue");
                command.Parameters[0].Value = queue;
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _walWatcher?.Dispose();
        _walWatcher = null;
        Interlocked.Exchange(ref _signals, QueueSignals.Private()).Release();
        _database?.Dispose();
        return ValueTask.CompletedTask;
    }

    private SqliteDatabase Database => _database ?? throw new InvalidOperationException("The SQLite transport is not initialised.");

    private static TimeSpan Positive(MetadataReader reader, string key, TimeSpan defaultValue)
    {
        var value = reader.GetDuration(key, defaultValue);
        return value > TimeSpan.Zero
            ? value
            : throw ComponentConfigurationException.InvalidValue(reader.Spec, key, reader.GetString(key), "must be greater than zero");
    }

    private static SqliteTransportMessage Own(TransportMessage message) =>
        message as SqliteTransportMessage
        ?? throw new ArgumentException($"A {message?.GetType().Name ?? "null"} was not received from the SQLite transport.", nameof(message));

    private static Dictionary<string, string> ReadHeaders(SqliteDataReader reader) =>
        StringMapJson.Deserialize(reader.GetString(2)) ?? [];

    private void WakeAllReceivers() => _signals.PulseAll();

    private AsyncSignal Signal(string queue) => _signals.For(queue);

    private async Task WaitAsync(Task wake, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await wake.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing sent in this process: poll again.
        }
    }

    private async ValueTask<IReadOnlyList<TransportMessage>> TryClaimAsync(
        string queue, int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var nowMs = Now(now);

        // A read first: an idle poll must not take the write lock, which would stall other processes' writers.
        var any = Database.Read(connection =>
        {
            var command = connection.Command(SqliteTransportSql.AnyVisible, "$queue", "$now");
            command.Parameters[0].Value = queue;
            command.Parameters[1].Value = nowMs;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
        });
        if (!any)
        {
            return [];
        }

        var lease = Guid.NewGuid().ToString("N");
        var until = (now + visibility).ToUnixTimeMilliseconds();
        // One UPDATE … RETURNING is atomic on its own and, being a write, takes the write lock before it reads (so the
        // busy handler applies, as with BEGIN IMMEDIATE); an explicit transaction around it only added two statements.
        var batch = await Database.WriteAsync(
            connection =>
            {
                var command = connection.Command(SqliteTransportSql.Claim, "$lease", "$until", "$queue", "$now", "$max");
                command.Parameters[0].Value = lease;
                command.Parameters[1].Value = until;
                command.Parameters[2].Value = queue;
                command.Parameters[3].Value = nowMs;
                command.Parameters[4].Value = max;
                var claimed = new List<SqliteTransportMessage>(Math.Min(max, 64));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var rowId = reader.GetInt64(0);
                    claimed.Add(new SqliteTransportMessage
                    {
                        Id = rowId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        RowId = rowId,
                        LeaseToken = lease,
                        Queue = queue,
                        Body = reader.GetFieldValue<byte[]>(1),
                        Headers = reader.IsDBNull(2) ? NoHeaders : ReadHeaders(reader),
                        DeliveryCount = reader.GetInt32(3),
                    });
                }

                return claimed;
            },
            cancellationToken).ConfigureAwait(false);

        // RETURNING gives no order; the ids of one queue grow with send order.
        batch.Sort(static (a, b) => a.RowId.CompareTo(b.RowId));
        return batch;
    }

    private ValueTask<int> UpdateLeasedAsync(string sql, SqliteTransportMessage message, DateTimeOffset visible, CancellationToken cancellationToken)
    {
        var now = Now(timeProvider.GetUtcNow());
        return Database.WriteAsync(
            connection =>
            {
                var command = connection.Command(sql, "$visible", "$now", "$id", "$lease");
                command.Parameters[0].Value = visible.ToUnixTimeMilliseconds();
                command.Parameters[1].Value = now;
                command.Parameters[2].Value = message.RowId;
                command.Parameters[3].Value = message.LeaseToken;
                return command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <summary>
    /// Unix milliseconds of <paramref name="now"/>. When the wall clock went back (NTP step, VM resume) since the
    /// latest time this transport saw, rows stamped in the future are rebased first (<see cref="SqliteTransportSql.Rebase"/>):
    /// <c>visible_at</c> is wall-clock time, and without this a jump back hid every queued message for its size.
    /// </summary>
    private long Now(DateTimeOffset now)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var latest = Interlocked.Read(ref _latestNow);
        if (ms < latest - ClockStepTolerance)
        {
            logger.ClockWentBack(TimeSpan.FromMilliseconds(latest - ms));
            Rebase(ms);
            Interlocked.Exchange(ref _latestNow, ms);
        }
        else if (ms > latest)
        {
            Interlocked.CompareExchange(ref _latestNow, ms, latest);
        }

        return ms;
    }

    private void Rebase(long now) =>
        Database.Read(connection =>
        {
            var command = connection.Command(SqliteTransportSql.Rebase, "$now");
            command.Parameters[0].Value = now;
            return command.ExecuteNonQuery();
        });

    private void AddStampColumn() =>
        Database.Read(connection =>
        {
            var has = Convert.ToInt64(connection.Command(SqliteTransportSql.HasStamp).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            return has == 0 ? connection.Execute(SqliteTransportSql.AddStamp) : 0;
        });
}
