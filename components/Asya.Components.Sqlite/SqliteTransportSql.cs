namespace Asya.Components.Sqlite;

/// <summary>The transport's statements. Times are Unix milliseconds from the transport's <see cref="TimeProvider"/>.</summary>
internal static class SqliteTransportSql
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS asya_messages (
            id INTEGER PRIMARY KEY,
            queue TEXT NOT NULL,
            body BLOB NOT NULL,
            headers TEXT NULL,
            enqueued_at INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            lease_token TEXT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            stamped_at INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS asya_messages_queue_visible ON asya_messages (queue, visible_at);
        CREATE TABLE IF NOT EXISTS asya_queues (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL
        );
        """;

    public const string Insert = """
        INSERT INTO asya_messages (queue, body, headers, enqueued_at, visible_at, delivery_count, stamped_at)
        VALUES ($queue, $body, $headers, $now, $visible, 0, $now);
        """;

    /// <summary>Files made before <c>stamped_at</c> existed get it (0: never taken for a stamp from the future).</summary>
    public const string HasStamp = "SELECT COUNT(*) FROM pragma_table_info('asya_messages') WHERE name = 'stamped_at';";

    public const string AddStamp = "ALTER TABLE asya_messages ADD COLUMN stamped_at INTEGER NOT NULL DEFAULT 0;";

    /// <summary>
    /// After the wall clock went back: a row stamped (sent, claimed, nacked, extended) later than now restarts its
    /// wait (delay, lease or nack delay: <c>visible_at - stamped_at</c>) from now, so a ready message is ready at once
    /// and nothing waits out the size of the jump. Idempotent (the row is stamped now), so every process on the file
    /// may run it.
    /// </summary>
    public const string Rebase = """
        UPDATE asya_messages
        SET visible_at = $now + MAX(visible_at - stamped_at, 0), stamped_at = $now
        WHERE stamped_at > $now;
        """;

    public const string AnyVisible = "SELECT EXISTS (SELECT 1 FROM asya_messages WHERE queue = $queue AND visible_at <= $now);";

    public const string Claim = """
        UPDATE asya_messages
        SET lease_token = $lease, visible_at = $until, delivery_count = delivery_count + 1, stamped_at = $now
        WHERE id IN (
            SELECT id FROM asya_messages
            WHERE queue = $queue AND visible_at <= $now
            ORDER BY visible_at, id
            LIMIT $max)
        RETURNING id, body, headers, delivery_count;
        """;

    public const string Ack = "DELETE FROM asya_messages WHERE id = $id AND lease_token = $lease;";

    public const string Nack = "UPDATE asya_messages SET visible_at = $visible, stamped_at = $now, lease_token = NULL WHERE id = $id AND lease_token = $lease;";

    public const string Extend = "UPDATE asya_messages SET visible_at = $visible, stamped_at = $now WHERE id = $id AND lease_token = $lease;";

    public const string Depth = """
        SELECT
            COALESCE(SUM(CASE WHEN visible_at <= $now THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN visible_at > $now AND lease_token IS NOT NULL THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN visible_at > $now AND lease_token IS NULL THEN 1 ELSE 0 END), 0)
        FROM asya_messages WHERE queue = $queue;
        """;

    /// <summary>The depths of every queue named in the JSON array <c>$queues</c>, in one pass; absent queues get no row.</summary>
    public const string Depths = """
        SELECT
            queue,
            SUM(CASE WHEN visible_at <= $now THEN 1 ELSE 0 END),
            SUM(CASE WHEN visible_at > $now AND lease_token IS NOT NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN visible_at > $now AND lease_token IS NULL THEN 1 ELSE 0 END)
        FROM asya_messages WHERE queue IN (SELECT value FROM json_each($queues))
        GROUP BY queue;
        """;

    public const string EnsureQueue = "INSERT OR IGNORE INTO asya_queues (name, created_at) VALUES ($queue, $now);";

    public const string DeleteQueue = "DELETE FROM asya_messages WHERE queue = $queue; DELETE FROM asya_queues WHERE name = $queue;";
}
