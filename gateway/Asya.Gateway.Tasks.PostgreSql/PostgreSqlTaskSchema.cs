using Npgsql;

namespace Asya.Gateway.Tasks.PostgreSql;

/// <summary>
/// Versioned migrations of the gateway's tables, applied at start in one transaction under an advisory lock, so
/// replicas starting at once apply each step exactly once (DDL is transactional in PostgreSQL: a crash mid-way leaves
/// the previous version). Tables are unqualified: they live in the connection's search_path. Append steps; never edit one.
/// </summary>
internal static class PostgreSqlTaskSchema
{
    private const string LockName = "asya:gateway:tasks:schema";

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE asya_gateway_tasks (
            id text NOT NULL PRIMARY KEY,
            parent_id text,
            flow text,
            status text NOT NULL CHECK (status IN ('pending', 'running', 'paused', 'succeeded', 'failed', 'canceled')),
            route json NOT NULL,
            payload json,
            result json,
            error json,
            progress double precision NOT NULL,
            actor text,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            deadline timestamptz,
            remaining interval,
            pause_metadata json,
            seq bigint NOT NULL
        );
        CREATE INDEX asya_gateway_tasks_newest ON asya_gateway_tasks (created_at DESC, id DESC);
        CREATE INDEX asya_gateway_tasks_status_newest ON asya_gateway_tasks (status, created_at DESC, id DESC);
        CREATE INDEX asya_gateway_tasks_flow_newest ON asya_gateway_tasks (flow, created_at DESC, id DESC);
        CREATE INDEX asya_gateway_tasks_deadline ON asya_gateway_tasks (deadline) WHERE deadline IS NOT NULL AND status IN ('pending', 'running');
        CREATE TABLE asya_gateway_task_updates (
            task_id text NOT NULL,
            seq bigint NOT NULL,
            kind text NOT NULL,
            status text NOT NULL,
            progress double precision NOT NULL,
            actor text,
            message text,
            time timestamptz NOT NULL,
            PRIMARY KEY (task_id, seq)
        );
        CREATE TABLE asya_gateway_event_spill (
            id bigserial PRIMARY KEY,
            body text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        """,
    ];

    /// <summary>Returns the version found and the version now in place.</summary>
    public static async Task<(int From, int To)> EnsureAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection) { Parameters = { new() { Value = LockName } } })
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS asya_gateway_schema_version (version integer NOT NULL)", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int from;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM asya_gateway_schema_version", connection))
        {
            from = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (from > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"the task store is at schema version {from}, newer than this gateway's {Migrations.Length}; run a newer gateway");
        }

        for (var version = from; version < Migrations.Length; version++)
        {
            await using var command = new NpgsqlCommand(Migrations[version], connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (from < Migrations.Length)
        {
            await using (var delete = new NpgsqlCommand("DELETE FROM asya_gateway_schema_version", connection))
            {
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var insert = new NpgsqlCommand("INSERT INTO asya_gateway_schema_version (version) VALUES ($1)", connection)
            {
                Parameters = { new() { Value = Migrations.Length } },
            };
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (from, Math.Max(from, Migrations.Length));
    }
}
