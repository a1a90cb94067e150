using System.Globalization;
using Npgsql;

namespace Asya.Components.PostgreSql;

/// <summary>
/// Creates and upgrades the state table at start. The schema version lives in the metadata table under the table's
/// migration key; a transaction-scoped advisory lock makes processes that start at once apply each step exactly once
/// (DDL is transactional in PostgreSQL, so a crash mid-way leaves the previous version).
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>One lock for every table, since the metadata table itself is created under it.</summary>
    private const string LockName = "asya:state.postgresql:schema";

    /// <summary>Returns the version found and the version now in place.</summary>
    public static async Task<(int From, int To)> EnsureAsync(
        NpgsqlDataSource dataSource, PostgreSqlStateSql sql, string migrationKey, CancellationToken cancellationToken)
    {
        string[] migrations = [sql.CreateTable];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, LockName).ConfigureAwait(false);
        await ExecuteAsync(connection, sql.CreateMetadataTable, cancellationToken).ConfigureAwait(false);

        await using var read = new NpgsqlCommand(sql.ReadMetadata, connection) { Parameters = { new() { Value = migrationKey } } };
        var stored = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        var from = 0;
        if (stored is not null && (!int.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
        {
            throw new InvalidOperationException($"the metadata row '{migrationKey}' holds '{stored}', which is not a schema version");
        }

        for (var version = from; version < migrations.Length; version++)
        {
            await ExecuteAsync(connection, migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection, sql.WriteMetadata, cancellationToken, migrationKey, (version + 1).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (from, Math.Max(from, migrations.Length));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string text, CancellationToken cancellationToken, params string[] values)
    {
        await using var command = new NpgsqlCommand(text, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
