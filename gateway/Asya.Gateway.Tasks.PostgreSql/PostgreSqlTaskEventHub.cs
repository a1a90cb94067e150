using System.Text;
using System.Text.Json;
using Asya.Components.PostgreSql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Asya.Gateway.Tasks.PostgreSql;

/// <summary>
/// Task events across gateway replicas over PostgreSQL <c>LISTEN/NOTIFY</c>: a publish is one <c>pg_notify</c> on
/// <see cref="Channel"/> (a batch, JSON arrays of events), and every replica (this one too, so all see one order) listens on a dedicated connection and
/// hands what arrives to its own subscribers. An event over NOTIFY's payload limit is written to
/// <c>asya_gateway_event_spill</c> and only its row id is notified; listeners fetch it (rows older than 5 minutes are
/// swept by later spills). When the listening connection is lost (a server restart) the hub logs it, reconnects every
/// <see cref="RetryInterval"/> and listens again; events published meanwhile are missed (at most once, as FLY is; stored
/// updates replay from the store).
/// </summary>
public sealed partial class PostgreSqlTaskEventHub : ITaskEventHub
{
    public const string Channel = "asya_gateway_task_events";

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Bytes of a NOTIFY payload sent as is; PostgreSQL refuses payloads of 8000 bytes and more.</summary>
    internal const int NotifyLimit = 7900;

    private const string SpillMarker = "#";
    private const string Notify = "SELECT pg_notify($1, $2)";
    private const string NotifyAll = "SELECT pg_notify($1, body) FROM unnest($2::text[]) WITH ORDINALITY AS t(body, n) ORDER BY n";
    private const string Spill = """
        WITH spilled AS (INSERT INTO asya_gateway_event_spill (body) VALUES ($2) RETURNING id),
             swept AS (DELETE FROM asya_gateway_event_spill WHERE created_at < now() - interval '5 minutes')
        SELECT pg_notify($1, '#' || id) FROM spilled
        """;
    private const string Unspill = "SELECT body FROM asya_gateway_event_spill WHERE id = $1";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly string _server;
    private readonly TaskEventFanout _fanout;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<string> _received = new();
    private Task _listening = Task.CompletedTask;

    private PostgreSqlTaskEventHub(NpgsqlConnectionStringBuilder connection, int flyCapacity, TimeProvider clock, ILogger logger, RecentFlyEvents? recentFly)
    {
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        // Keepalives make a silently dropped listening connection fail its wait instead of hanging forever.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { KeepAlive = 5, Pooling = false }.ConnectionString;
        _server = PostgreSqlComponentConnection.Describe(connection);
        _fanout = new TaskEventFanout(flyCapacity, recentFly ?? new RecentFlyEvents(clock));
        _clock = clock;
        _logger = logger;
    }

    public int SubscriberCount => _fanout.SubscriberCount;

    /// <summary>
    /// Migrates the gateway's schema if needed (the spill table), starts listening and returns once it listens;
    /// <see cref="TaskStoreUnavailableException"/> when the server cannot be reached.
    /// </summary>
    public static async Task<PostgreSqlTaskEventHub> StartAsync(
        NpgsqlConnectionStringBuilder connection,
        ILogger? logger,
        CancellationToken cancellationToken,
        int flyCapacity = TaskEventFanout.DefaultFlyCapacity,
        TimeProvider? clock = null,
        RecentFlyEvents? recentFly = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var hub = new PostgreSqlTaskEventHub(connection, flyCapacity, clock ?? TimeProvider.System, logger ?? NullLogger.Instance, recentFly);
        try
        {
            await PostgreSqlTaskStore.GuardAsync(hub._server, () => PostgreSqlTaskSchema.EnsureAsync(hub._dataSource, cancellationToken)).ConfigureAwait(false);
            var first = await PostgreSqlTaskStore.GuardAsync(hub._server, () => hub.ListenAsync(cancellationToken)).ConfigureAwait(false);
            hub._logger.HubListening(hub._server, Channel);
            hub._listening = Task.Run(() => hub.RunAsync(first, hub._stop.Token), CancellationToken.None);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        var body = JsonSerializer.Serialize(taskEvent, TaskJson.Options);
        return new ValueTask(PostgreSqlTaskStore.GuardAsync(_server, async () =>
        {
            await using var command = _dataSource.CreateCommand(Encoding.UTF8.GetByteCount(body) <= NotifyLimit ? Notify : Spill);
            command.Parameters.Add(new NpgsqlParameter { Value = Channel, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = body, NpgsqlDbType = NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }));
    }

    /// <summary>
    /// The events go as few notifications as fit: JSON arrays of consecutive events up to the payload limit, all sent by
    /// one statement (notifications of one transaction arrive in the order sent); an event over the limit alone is
    /// spilled in its turn.
    /// </summary>
    public async ValueTask PublishBatchAsync(IReadOnlyList<TaskEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var payloads = new List<string>();
        var group = new StringBuilder();
        var groupBytes = 0;
        foreach (var taskEvent in events)
        {
            var body = JsonSerializer.Serialize(taskEvent, TaskJson.Options);
            var bytes = Encoding.UTF8.GetByteCount(body);
            if (groupBytes > 0 && groupBytes + bytes + 1 > NotifyLimit)
            {
                payloads.Add(group.Append(']').ToString());
                group.Clear();
                groupBytes = 0;
            }

            if (bytes + 2 > NotifyLimit)
            {
                await NotifyAllAsync(payloads, cancellationToken).ConfigureAwait(false);
                await PublishAsync(taskEvent, cancellationToken).ConfigureAwait(false);
                continue;
            }

            group.Append(groupBytes == 0 ? '[' : ',').Append(body);
            groupBytes += bytes + 1;
        }

        if (groupBytes > 0)
        {
            payloads.Add(group.Append(']').ToString());
        }

        await NotifyAllAsync(payloads, cancellationToken).ConfigureAwait(false);
    }

    public TaskSubscription Subscribe(string taskId, bool withRecentFly = false) => _fanout.Subscribe(taskId, withRecentFly);

    public RecentFlyEvents RecentFly => _fanout.RecentFly;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
#pragma warning disable VSTHRD003 // the listening loop is this hub's own, started in StartAsync
        await _listening.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        _fanout.CompleteAll();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Sends <paramref name="payloads"/> (each within the limit) in one statement, in order, and clears the list.</summary>
    private async Task NotifyAllAsync(List<string> payloads, CancellationToken cancellationToken)
    {
        if (payloads.Count == 0)
        {
            return;
        }

        var batch = payloads.ToArray();
        payloads.Clear();
        await PostgreSqlTaskStore.GuardAsync(_server, async () =>
        {
            await using var command = _dataSource.CreateCommand(NotifyAll);
            command.Parameters.Add(new NpgsqlParameter { Value = Channel, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = batch, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_listenConnectionString);
        try
        {
            connection.Notification += (_, e) => _received.Enqueue(e.Payload);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
