namespace Asya.Gateway.Tasks.Sqlite;

/// <summary>The store's statements; parameters are bound by position (see <see cref="SqliteTaskStore"/>).</summary>
internal static class SqliteTaskSql
{
    public const string Columns =
        "id, parent_id, flow, status, route, payload, result, error, progress, actor, created_at, updated_at, deadline, remaining_ticks, pause_metadata, seq";

    public static readonly string[] TaskParameters =
        ["$id", "$parent_id", "$flow", "$status", "$route", "$payload", "$result", "$error", "$progress", "$actor", "$created_at", "$updated_at", "$deadline", "$remaining_ticks", "$pause_metadata", "$seq"];

    public static readonly string[] UpdateParameters = ["$task_id", "$seq", "$kind", "$status", "$progress", "$actor", "$message", "$time"];

    public const string Insert = $"INSERT INTO tasks ({Columns}) VALUES ($id, $parent_id, $flow, $status, $route, $payload, $result, $error, $progress, $actor, $created_at, $updated_at, $deadline, $remaining_ticks, $pause_metadata, $seq) ON CONFLICT (id) DO NOTHING";

    public const string Update = """
        UPDATE tasks SET status = $status, route = $route, result = $result, error = $error, progress = $progress, actor = $actor,
            updated_at = $updated_at, deadline = $deadline, remaining_ticks = $remaining_ticks, pause_metadata = $pause_metadata, seq = $seq
        WHERE id = $id
        """;

    public const string Get = $"SELECT {Columns} FROM tasks WHERE id = $id";

    public const string InsertUpdate =
        "INSERT INTO task_updates (task_id, seq, kind, status, progress, actor, message, time) VALUES ($task_id, $seq, $kind, $status, $progress, $actor, $message, $time)";

    public const string UpdatesAfter =
        "SELECT task_id, seq, kind, status, progress, actor, message, time FROM task_updates WHERE task_id = $task_id AND seq > $seq ORDER BY seq";

    public const string Filter = "($status IS NULL OR status = $status) AND ($flow IS NULL OR flow = $flow)";

    public const string List = $"SELECT {Columns} FROM tasks WHERE {Filter} ORDER BY created_at DESC, id DESC LIMIT $limit OFFSET $offset";

    public const string Count = $"SELECT count(*) FROM tasks WHERE {Filter}";

    public const string PastDeadline =
        "SELECT id FROM tasks WHERE deadline IS NOT NULL AND status IN ('pending', 'running') AND deadline <= $now ORDER BY deadline LIMIT $limit";
}
