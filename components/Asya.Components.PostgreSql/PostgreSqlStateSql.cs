namespace Asya.Components.PostgreSql;

/// <summary>
/// Statements on Dapr's <c>state.postgresql</c> v2 layout (value <c>bytea</c>, ETag a random <c>uuid</c>, times
/// <c>timestamptz</c>). Every statement takes "now" as a parameter from the store's clock, so expiry follows one clock
/// per process; an expired row is never read, overwritten under an ETag, or counted as existing.
/// </summary>
internal sealed class PostgreSqlStateSql(string table, string metadataTable)
{
    private const string Live = "(expires_at IS NULL OR expires_at > $2)";

    /// <summary>The state table as Dapr's migration 1 creates it; the index gets the name PostgreSQL gives Dapr's.</summary>
    public string CreateTable { get; } = $"""
        CREATE TABLE IF NOT EXISTS {table} (
          key text NOT NULL PRIMARY KEY,
          value bytea NOT NULL,
          etag uuid NOT NULL DEFAULT gen_random_uuid(),
          created_at timestamp with time zone NOT NULL DEFAULT now(),
          updated_at timestamp with time zone,
          expires_at timestamp with time zone
        );
        CREATE INDEX IF NOT EXISTS {table[(table.LastIndexOf('.') + 1)..]}_expires_at_idx ON {table} (expires_at);
        """;

    public string CreateMetadataTable { get; } = $"CREATE TABLE IF NOT EXISTS {metadataTable} (key text NOT NULL PRIMARY KEY, value text NOT NULL)";

    public string ReadMetadata { get; } = $"SELECT value FROM {metadataTable} WHERE key = $1";

    public string WriteMetadata { get; } = $"INSERT INTO {metadataTable} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    /// <summary>$1 key, $2 now.</summary>
    public string Get { get; } = $"SELECT value, etag, expires_at FROM {table} WHERE key = $1 AND {Live}";

    /// <summary>$1 keys, $2 now.</summary>
    public string GetMany { get; } = $"SELECT key, value, etag, expires_at FROM {table} WHERE key = ANY($1) AND {Live}";

    /// <summary>$1 key, $2 now, $3 value, $4 new etag, $5 expires.</summary>
    public string Upsert { get; } = $"""
        INSERT INTO {table} AS t (key, value, etag, created_at, expires_at) VALUES ($1, $3, $4, $2, $5)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = $2, expires_at = excluded.expires_at
        """;

    /// <summary>First-write: inserts, or replaces a row only when it has expired (a sweep may not have removed it yet).</summary>
    public string InsertNew { get; } = $"""
        INSERT INTO {table} AS t (key, value, etag, created_at, expires_at) VALUES ($1, $3, $4, $2, $5)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = $2, expires_at = excluded.expires_at
        WHERE t.expires_at IS NOT NULL AND t.expires_at <= $2
        """;

    /// <summary>$1 key, $2 now, $3 value, $4 new etag, $5 expires, $6 expected etag.</summary>
    public string UpdateIfMatch { get; } = $"""
        UPDATE {table} SET value = $3, etag = $4, updated_at = $2, expires_at = $5
        WHERE key = $1 AND etag = $6 AND {Live}
        """;

    /// <summary>$1 key, $2 now; returns whether the removed row was live (an expired one counts as missing).</summary>
    public string Delete { get; } = $"DELETE FROM {table} WHERE key = $1 RETURNING {Live}";

    /// <summary>$1 key, $2 now, $3 expected etag.</summary>
    public string DeleteIfMatch { get; } = $"DELETE FROM {table} WHERE key = $1 AND etag = $3 RETURNING {Live}";

    /// <summary>
    /// $1 cleanup key, $2 now as text, $3 the latest time of a previous sweep that lets this one run. One row per table,
    /// updated atomically, so of several processes only one sweeps per interval (Dapr's rule).
    /// </summary>
    public string ClaimCleanup { get; } = $"""
        INSERT INTO {metadataTable} AS m (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value
        WHERE m.value::timestamp with time zone <= $3
        """;

    /// <summary>$1 now.</summary>
    public string DeleteExpired { get; } = $"DELETE FROM {table} WHERE expires_at IS NOT NULL AND expires_at <= $1";
}
