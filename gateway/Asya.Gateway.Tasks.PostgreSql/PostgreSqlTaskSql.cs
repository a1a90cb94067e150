namespace Asya.Gateway.Tasks.PostgreSql;

/// <summary>The store's statements, with positional parameters in the order of <see cref="PostgreSqlTaskStore"/>'s binders.</summary>
internal static class PostgreSqlTaskSql
{
    public const string Columns =
        "id, parent_id, flow, status, route, payload, result, error, progress, actor, created_at, updated_at, deadline, remaining, pause_metadata, seq";

    /// <summary>Task row $1..$16 and its first update $17..$19 (kind, message, time), one round trip; no row = the id exists.</summary>
    public const string Create = $"""
        WITH created AS (
            INSERT INTO asya_gateway_tasks ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (id) DO NOTHING RETURNING id, seq, status, progress, actor)
        INSERT INTO asya_gateway_task_updates (task_id, seq, kind, status, progress, actor, message, time)
        SELECT id, seq, $17, status, progress, actor, $18, $19 FROM created
        """;

    public const string Get = $"SELECT {Columns} FROM asya_gateway_tasks WHERE id = $1";

    public const string Lock = $"SELECT {Columns} FROM asya_gateway_tasks WHERE id = $1 FOR UPDATE";

    /// <summary>
    /// The changed task ($1 id, $2 status, $3 route, $4 result, $5 error, $6 progress, $7 actor, $8 updated_at, $9 deadline,
    /// $10 remaining, $11 pause_metadata, $12 seq) and its update ($13 kind, $14 message), one round trip.
    /// </summary>
    public const string Change = """
        WITH changed AS (
            UPDATE asya_gateway_tasks SET status = $2, route = $3, result = $4, error = $5, progress = $6, actor = $7,
                updated_at = $8, deadline = $9, remaining = $10, pause_metadata = $11, seq = $12
            WHERE id = $1 RETURNING id, seq, status, progress, actor, updated_at)
        INSERT INTO asya_gateway_task_updates (task_id, seq, kind, status, progress, actor, message, time)
        SELECT id, seq, $13, status, progress, actor, $14, updated_at FROM changed
        """;

    private const string Filter = "($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR flow = $2)";

    public const string List = $"SELECT {Columns} FROM asya_gateway_tasks WHERE {Filter} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4";

    public const string Count = $"SELECT count(*) FROM asya_gateway_tasks WHERE {Filter}";

    public const string UpdatesAfter =
        "SELECT task_id, seq, kind, status, progress, actor, message, time FROM asya_gateway_task_updates WHERE task_id = $1 AND seq > $2 ORDER BY seq";

    public const string PastDeadline =
        "SELECT id FROM asya_gateway_tasks WHERE deadline IS NOT NULL AND status IN ('pending', 'running') AND deadline <= $1 ORDER BY deadline LIMIT $2";
}
