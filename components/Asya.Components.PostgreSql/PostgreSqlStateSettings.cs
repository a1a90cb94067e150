using Npgsql;

namespace Asya.Components.PostgreSql;

/// <summary>What <c>state.postgresql</c> needs from its metadata, read by <see cref="PostgreSqlSettingsReader"/>.</summary>
/// <param name="Connection">Npgsql's settings, password included: never log or show it whole.</param>
/// <param name="Table">The state table, possibly schema-qualified (<c>public.state</c>).</param>
/// <param name="MetadataTable">Dapr's key/value table holding the schema version and the time of the last sweep.</param>
/// <param name="MigrationKey">The metadata row holding the state table's schema version.</param>
/// <param name="CleanupKey">The metadata row holding the time of the last sweep, shared by every process on the table.</param>
/// <param name="CleanupInterval">How often expired rows are deleted; <c>null</c> turns the sweep off.</param>
internal sealed record PostgreSqlStateSettings(
    NpgsqlConnectionStringBuilder Connection,
    string Table,
    string MetadataTable,
    string MigrationKey,
    string CleanupKey,
    TimeSpan? CleanupInterval)
{
    /// <summary>Where the store connects, for logs and messages: hosts, database and user, no password.</summary>
    public string Describe() => PostgreSqlComponentConnection.Describe(Connection);
}
