using Asya.Components.Abstractions;
using Asya.Components.PostgreSql;
using Asya.Testing.Brokers;
using Npgsql;

namespace Asya.Gateway.PostgreSql.IntegrationTests;

/// <summary>
/// The test PostgreSQL (<c>ASYA_TEST_POSTGRES</c>, as printed by <c>deploy/local/services up postgres</c>), read the way
/// the gateway reads it: from a <c>state.postgresql</c> component. Each storage name is a schema of its own, reached
/// through the connection's search_path, so tests never see each other's tasks.
/// </summary>
internal static class TestDatabase
{
    public static BrokerEnvironment Server { get; } = new("ASYA_TEST_POSTGRES", "postgres");

    public static NpgsqlConnectionStringBuilder Connection(string url) =>
        PostgreSqlComponentConnection.Read(ComponentSpec.Create("tasks", "state.postgresql", ("connectionString", url), ("timeout", "5s")));

    /// <summary>A connection to <paramref name="schema"/> (created if missing) of the server at <paramref name="url"/>.</summary>
    public static async Task<NpgsqlConnectionStringBuilder> SchemaAsync(string schema, string? url = null)
    {
        var connection = Connection(url ?? Server.RequireEndpoint());
        await using (var admin = new NpgsqlConnection(connection.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        connection.SearchPath = schema;
        return connection;
    }

    /// <summary>Drops what <see cref="SchemaAsync"/> created, tables and all.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var admin = new NpgsqlConnection(Connection(Server.RequireEndpoint()).ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
