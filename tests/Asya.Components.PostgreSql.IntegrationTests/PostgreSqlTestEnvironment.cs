using Asya.Testing.Brokers;

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>
/// The test PostgreSQL: <c>ASYA_TEST_POSTGRES</c> (a postgres:// URL), as printed by
/// <c>deploy/local/services up postgres</c>.
/// </summary>
internal static class PostgreSqlTestEnvironment
{
    public static BrokerEnvironment Server { get; } = new("ASYA_TEST_POSTGRES", "postgres");

    public static string RequireConnectionString() => Server.RequireEndpoint();

    /// <summary>A connection of the test's own, to look at tables behind the store's back.</summary>
    public static async Task<Npgsql.NpgsqlConnection> OpenAsync()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder();
        var uri = new Uri(RequireConnectionString());
        var user = uri.UserInfo.Split(':');
        builder.Host = uri.Host;
        builder.Port = uri.Port;
        builder.Username = Uri.UnescapeDataString(user[0]);
        builder.Password = Uri.UnescapeDataString(user[1]);
        builder.Database = uri.AbsolutePath.TrimStart('/');
        builder.Pooling = false;
        var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
