using Asya.Components.PostgreSql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Asya.Gateway.Tasks.PostgreSql;

/// <summary>
/// The task store for several gateway replicas: tables <c>asya_gateway_*</c> in the connection's search_path,
/// migrated at start. A change locks the task's row (<c>SELECT … FOR UPDATE</c>), decides through
/// <see cref="TaskRules"/> and writes the row and its update in one statement, so replicas racing on one task apply
/// each change once and in order. A lost server is a <see cref="TaskStoreUnavailableException"/>; pooled connections
/// broken by a restart fail once each and are replaced.
/// </summary>
public sealed partial class PostgreSqlTaskStore : TaskStoreBase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly string _server;

    private PostgreSqlTaskStore(NpgsqlDataSource dataSource, TimeProvider clock, string server) =>
        (_dataSource, _clock, _server) = (dataSource, clock, server);

    /// <summary>
    /// Connects (see <see cref="PostgreSqlComponentConnection.Read"/> for a <c>state.postgresql</c> manifest), migrates
    /// the schema and returns the store; <see cref="TaskStoreUnavailableException"/> when the server cannot be reached.
    /// </summary>
    public static async Task<PostgreSqlTaskStore> OpenAsync(
        NpgsqlConnectionStringBuilder connection, TimeProvider clock, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(clock);
        logger ??= NullLogger.Instance;
        var server = PostgreSqlComponentConnection.Describe(connection);
        var dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        try
        {
            var (from, to) = await GuardAsync(server, () => PostgreSqlTaskSchema.EnsureAsync(dataSource, cancellationToken)).ConfigureAwait(false);
            if (from != to)
            {
                logger.TaskStoreMigrated(server, from, to);
            }

            logger.TaskStoreOpened(server, to);
            return new PostgreSqlTaskStore(dataSource, clock, server);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task<MeshTask> CreateAsync(NewTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        return GuardAsync(_server, async () =>
        {
            var created = TaskRules.Create(task, _clock.GetUtcNow());
            var first = TaskRules.Created(created);
            await using var command = _dataSource.CreateCommand(PostgreSqlTaskSql.Create);
            AddTaskRow(command, created, 1);
            Add(command, TaskUpdateKinds.ToText(first.Kind), NpgsqlDbType.Text);
            Add(command, first.Message, NpgsqlDbType.Text);
            Add(command, first.Time, NpgsqlDbType.TimestampTz);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1
                ? created
                : throw new DuplicateTaskException(task.Id);
        });
    }

    public override Task<MeshTask?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return GuardAsync(_server, async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgreSqlTaskSql.Get);
            Add(command, id, NpgsqlDbType.Text);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTask(reader) : null;
        });
    }

    public override Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        return GuardAsync(_server, async () =>
        {
            await using var batch = _dataSource.CreateBatch();
            var list = new NpgsqlBatchCommand(PostgreSqlTaskSql.List);
            var count = new NpgsqlBatchCommand(PostgreSqlTaskSql.Count);
            foreach (var command in (NpgsqlBatchCommand[])[list, count])
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Status?.ToWire() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Flow ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                batch.BatchCommands.Add(command);
            }

            list.Parameters.Add(new NpgsqlParameter { Value = (long)query.Limit, NpgsqlDbType = NpgsqlDbType.Bigint });
            list.Parameters.Add(new NpgsqlParameter { Value = (long)query.Offset, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var tasks = new List<MeshTask>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tasks.Add(ReadTask(reader));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new TaskPage(tasks, reader.GetInt64(0));
        });
    }

    public override Task<IReadOnlyList<TaskUpdate>> GetUpdatesAsync(string id, long afterSequence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return GuardAsync<IReadOnlyList<TaskUpdate>>(_server, async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgreSqlTaskSql.UpdatesAfter);
            Add(command, id, NpgsqlDbType.Text);
            Add(command, afterSequence, NpgsqlDbType.Bigint);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var updates = new List<TaskUpdate>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                updates.Add(new TaskUpdate(
                    reader.GetString(0), reader.GetInt64(1), TaskUpdateKinds.Parse(reader.GetString(2)),
                    TaskStates.Parse(reader.GetString(3)), reader.GetDouble(4), TaskRows.Text(reader, 5), TaskRows.Text(reader, 6),
                    await reader.GetFieldValueAsync<DateTimeOffset>(7, cancellationToken).ConfigureAwait(false)));
            }

            return updates;
        });
    }

    public override Task<IReadOnlyList<string>> ListPastDeadlineAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return GuardAsync<IReadOnlyList<string>>(_server, async () =>
        {
            await using var command = _dataSource.CreateCommand(PostgreSqlTaskSql.PastDeadline);
            Add(command, _clock.GetUtcNow(), NpgsqlDbType.TimestampTz);
            Add(command, (long)limit, NpgsqlDbType.Bigint);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var ids = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    protected override Task<TaskChange> ChangeAsync(
        string id, Func<MeshTask, DateTimeOffset, TaskTransition?> decide, bool conflictWhenRefused, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return GuardAsync(_server, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            MeshTask task;
            long sequence;
            await using (var read = new NpgsqlCommand(PostgreSqlTaskSql.Lock, connection, transaction))
            {
                Add(read, id, NpgsqlDbType.Text);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return TaskChange.NotFound;
                }

                (task, sequence) = (ReadTask(reader), reader.GetInt64(15));
            }

            var now = _clock.GetUtcNow();
            var change = TaskRules.Outcome(task, sequence, decide(task, now), conflictWhenRefused, now);
            if (change is not { Task: { } next, Update: { } update })
            {
                return change;
            }

            await using (var write = new NpgsqlCommand(PostgreSqlTaskSql.Change, connection, transaction))
            {
                Add(write, id, NpgsqlDbType.Text);
                Add(write, next.Status.ToWire(), NpgsqlDbType.Text);
                Add(write, TaskJson.RouteText(next.Route), NpgsqlDbType.Json);
                Add(write, TaskJson.Text(next.Result), NpgsqlDbType.Json);
                Add(write, TaskJson.Text(next.Error), NpgsqlDbType.Json);
                Add(write, next.Progress, NpgsqlDbType.Double);
                Add(write, next.Actor, NpgsqlDbType.Text);
                Add(write, next.UpdatedAt, NpgsqlDbType.TimestampTz);
                Add(write, next.Deadline, NpgsqlDbType.TimestampTz);
                Add(write, next.RemainingWhilePaused, NpgsqlDbType.Interval);
                Add(write, TaskJson.Text(next.PauseMetadata), NpgsqlDbType.Json);
                Add(write, update.Sequence, NpgsqlDbType.Bigint);
                Add(write, TaskUpdateKinds.ToText(update.Kind), NpgsqlDbType.Text);
                Add(write, update.Message, NpgsqlDbType.Text);
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return change;
        });
    }

    private static void AddTaskRow(NpgsqlCommand command, MeshTask task, long sequence)
    {
        Add(command, task.Id, NpgsqlDbType.Text);
        Add(command, task.ParentId, NpgsqlDbType.Text);
        Add(command, task.Flow, NpgsqlDbType.Text);
        Add(command, task.Status.ToWire(), NpgsqlDbType.Text);
        Add(command, TaskJson.RouteText(task.Route), NpgsqlDbType.Json);
        Add(command, TaskJson.Text(task.Payload), NpgsqlDbType.Json);
        Add(command, TaskJson.Text(task.Result), NpgsqlDbType.Json);
        Add(command, TaskJson.Text(task.Error), NpgsqlDbType.Json);
        Add(command, task.Progress, NpgsqlDbType.Double);
        Add(command, task.Actor, NpgsqlDbType.Text);
        Add(command, task.CreatedAt, NpgsqlDbType.TimestampTz);
        Add(command, task.UpdatedAt, NpgsqlDbType.TimestampTz);
        Add(command, task.Deadline, NpgsqlDbType.TimestampTz);
        Add(command, task.RemainingWhilePaused, NpgsqlDbType.Interval);
        Add(command, TaskJson.Text(task.PauseMetadata), NpgsqlDbType.Json);
        Add(command, sequence, NpgsqlDbType.Bigint);
    }

    private static MeshTask ReadTask(NpgsqlDataReader reader) =>
        TaskRows.Read(reader, static (r, i) => r.GetFieldValue<DateTimeOffset>(i), static (r, i) => r.GetFieldValue<TimeSpan>(i));

    private static void Add(NpgsqlCommand command, object? value, NpgsqlDbType type) =>
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
}
