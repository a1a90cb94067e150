using System.Globalization;

namespace Asya.Components.Sqlite;

/// <summary>
/// Statements on Dapr's <c>state.sqlite</c> table layout. Times are UTC text <c>yyyy-MM-dd HH:mm:ss.fff</c>, which
/// sorts like Dapr's <c>CURRENT_TIMESTAMP</c> values, so a table written by Dapr reads the same here.
/// </summary>
internal sealed class SqliteStateSql(string table)
{
    public string Schema { get; } = $"""
        CREATE TABLE IF NOT EXISTS {table} (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL,
            is_binary BOOLEAN NOT NULL,
            etag TEXT NOT NULL,
            expiration_time TIMESTAMP DEFAULT NULL,
            update_time TIMESTAMP NOT NULL
        );
        """;

    public string Get { get; } = $"""
        SELECT value, is_binary, etag, expiration_time FROM {table}
        WHERE key = $key AND (expiration_time IS NULL OR expiration_time > $now);
        """;

    public string Upsert { get; } = $"""
        INSERT INTO {table} (key, value, is_binary, etag, expiration_time, update_time)
        VALUES ($key, $value, $binary, $etag, $expires, $now)
        ON CONFLICT (key) DO UPDATE SET
            value = excluded.value, is_binary = excluded.is_binary, etag = excluded.etag,
            expiration_time = excluded.expiration_time, update_time = excluded.update_time;
        """;

    public string UpdateIfMatch { get; } = $"""
        UPDATE {table}
        SET value = $value, is_binary = $binary, etag = $etag, expiration_time = $expires, update_time = $now
        WHERE key = $key AND etag = $match AND (expiration_time IS NULL OR expiration_time > $now);
        """;

    public string DeleteExpiredKey { get; } = $"DELETE FROM {table} WHERE key = $key AND expiration_time IS NOT NULL AND expiration_time <= $now;";

    public string InsertNew { get; } = $"""
        INSERT INTO {table} (key, value, is_binary, etag, expiration_time, update_time)
        VALUES ($key, $value, $binary, $etag, $expires, $now)
        ON CONFLICT (key) DO NOTHING;
        """;

    public string Delete { get; } = $"DELETE FROM {table} WHERE key = $key AND (expiration_time IS NULL OR expiration_time > $now);";

    public string DeleteIfMatch { get; } = $"DELETE FROM {table} WHERE key = $key AND etag = $match AND (expiration_time IS NULL OR expiration_time > $now);";

    public string DeleteExpired { get; } = $"DELETE FROM {table} WHERE expiration_time IS NOT NULL AND expiration_time <= $now;";

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
