using Asya.Components.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Gateway.Tasks.Sqlite;

/// <summary>
/// The embedded task store: one SQLite file (WAL) of the gateway's data dir. Changes run in <c>BEGIN IMMEDIATE</c>
/// transactions under the database's write lock, so read-decide-write through <see cref="TaskRules"/> is atomic; times
/// are stored as UTC ticks.
/// </summary>
public sealed class SqliteTaskStore : TaskStoreBase
{
    /// <summary>The file's name in the data dir.</summary>
    public const string FileName = "gateway-tasks.db";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;

    private SqliteTaskStore(SqliteDatabase database, TimeProvider clock) => (_database, _clock) = (database, clock);

    /// <summary>Opens (creating) the store in <paramref name="dataDirectory"/> and migrates its schema.</summary>
    public static Task<SqliteTaskStore> OpenInDirectoryAsync(
        string dataDirectory, TimeProvider clock, ILogger? logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        return OpenAsync(Path.Combine(dataDirectory, FileName), clock, logger, cancellationToken);
    }

    /// <summary>Opens (creating) the store in the file <paramref name="path"/> and migrates its schema.</summary>
    public static async Task<SqliteTaskStore> OpenAsync(string path, TimeProvider clock, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(clock);
        logger ??= NullLogger.Instance;
        var settings = new SqliteDatabaseSettings(path, InMemory: false, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), Wal: true);
        var database = SqliteDatabase.Open(settings, SqliteTaskSchema.VersionTable);
        try
        {
            var (from, to) = await database.TransactionAsync(SqliteTaskSchema.Migrate, cancellationToken).ConfigureAwait(false);
            if (from != to)
            {
                logger.TaskStoreMigrated(path, from, to);
            }

            logger.TaskStoreOpened(path, to);
            return new SqliteTaskStore(database, clock);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public override async Task<MeshTask> CreateAsync(NewTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var created = TaskRules.Create(task, _clock.GetUtcNow());
        var update = TaskRules.Created(created);
        var inserted = await _database.TransactionAsync(
            connection =>
            {
                if (Bind(connection.Command(SqliteTaskSql.Insert, SqliteTaskSql.TaskParameters), Row(created, 1)).ExecuteNonQuery() == 0)
                {
                    return false;
                }

                Bind(connection.Command(SqliteTaskSql.InsertUpdate, SqliteTaskSql.UpdateParameters), UpdateRow(update)).ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return inserted ? created : throw new DuplicateTaskException(task.Id);
    }

    public override Task<MeshTask?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Task.FromResult(_database.Read(connection => Find(connection, id)?.Task));
    }

    public override Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        object? status = query.Status?.ToWire();
        return Task.FromResult(_database.Read(connection =>
        {
            var tasks = new List<MeshTask>();
            using (var reader = Bind(connection.Command(SqliteTaskSql.List, "$status", "$flow", "$limit", "$offset"), status, query.Flow, query.Limit, query.Offset)
                .ExecuteReader())
            {
                while (reader.Read())
                {
                    tasks.Add(ReadTask(reader));
                }
            }

            var total = (long)Bind(connection.Command(SqliteTaskSql.Count, "$status", "$flow"), status, query.Flow).ExecuteScalar()!;
            return new TaskPage(tasks, total);
        }));
    }

    public override Task<IReadOnlyList<TaskUpdate>> GetUpdatesAsync(string id, long afterSequence, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Task.FromResult<IReadOnlyList<TaskUpdate>>(_database.Read(connection =>
        {
            var updates = new List<TaskUpdate>();
            using var reader = Bind(connection.Command(SqliteTaskSql.UpdatesAfter, "$task_id", "$seq"), id, afterSequence).ExecuteReader();
            while (reader.Read())
            {
                updates.Add(new TaskUpdate(
                    reader.GetString(0), reader.GetInt64(1), TaskUpdateKinds.Parse(reader.GetString(2)),
                    TaskStates.Parse(reader.GetString(3)), reader.GetDouble(4), TaskRows.Text(reader, 5), TaskRows.Text(reader, 6),
                    Time(reader.GetInt64(7))));
            }

            return updates;
        }));
    }

    public override Task<IReadOnlyList<string>> ListPastDeadlineAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var now = _clock.GetUtcNow().UtcTicks;
        return Task.FromResult<IReadOnlyList<string>>(_database.Read(connection =>
        {
            var ids = new List<string>();
            using var reader = Bind(connection.Command(SqliteTaskSql.PastDeadline, "$now", "$limit"), now, limit).ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }));
    }

    public override ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<TaskChange> ChangeAsync(
        string id, Func<MeshTask, DateTimeOffset, TaskTransition?> decide, bool conflictWhenRefused, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return await _database.TransactionAsync(
            connection =>
            {
                if (Find(connection, id) is not var (task, sequence))
                {
                    return TaskChange.NotFound;
                }

                var now = _clock.GetUtcNow();
                var change = TaskRules.Outcome(task, sequence, decide(task, now), conflictWhenRefused, now);
                if (change.Update is { } update)
                {
                    Bind(connection.Command(SqliteTaskSql.Update, SqliteTaskSql.TaskParameters), Row(change.Task!, update.Sequence)).ExecuteNonQuery();
                    Bind(connection.Command(SqliteTaskSql.InsertUpdate, SqliteTaskSql.UpdateParameters), UpdateRow(update)).ExecuteNonQuery();
                }

                return change;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static (MeshTask Task, long Sequence)? Find(PooledConnection connection, string id)
    {
        using var reader = Bind(connection.Command(SqliteTaskSql.Get, "$id"), id).ExecuteReader();
        return reader.Read() ? (ReadTask(reader), reader.GetInt64(15)) : null;
    }

    private static MeshTask ReadTask(SqliteDataReader reader) =>
        TaskRows.Read(reader, static (r, i) => Time(r.GetInt64(i)), static (r, i) => TimeSpan.FromTicks(r.GetInt64(i)));

    private static object?[] Row(MeshTask task, long sequence) =>
    [
        task.Id, task.ParentId, task.Flow, task.Status.ToWire(), TaskJson.RouteText(task.Route), TaskJson.Text(task.Payload),
        TaskJson.Text(task.Result), TaskJson.Text(task.Error), task.Progress, task.Actor, task.CreatedAt.UtcTicks, task.UpdatedAt.UtcTicks,
        task.Deadline?.UtcTicks, task.RemainingWhilePaused?.Ticks, TaskJson.Text(task.PauseMetadata), sequence,
    ];

    private static object?[] UpdateRow(TaskUpdate update) =>
    [
        update.TaskId, update.Sequence, TaskUpdateKinds.ToText(update.Kind), update.Status.ToWire(), update.Progress,
        update.Actor, update.Message, update.Time.UtcTicks,
    ];

    private static SqliteCommand Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
