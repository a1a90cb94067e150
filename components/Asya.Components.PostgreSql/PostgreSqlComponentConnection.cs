using Asya.Components.Abstractions;
using Npgsql;

namespace Asya.Components.PostgreSql;

/// <summary>
/// The PostgreSQL connection a <c>state.postgresql</c> component describes, read exactly as the state store reads it
/// (connection string or URL, Dapr's override keys, <c>timeout</c>, <c>maxConns</c>, <c>queryExecMode</c>), for other
/// users of the same manifest such as the gateway's task store.
/// </summary>
public static class PostgreSqlComponentConnection
{
    /// <summary>Npgsql's settings, password included; <see cref="ComponentConfigurationException"/> names a bad key.</summary>
    public static NpgsqlConnectionStringBuilder Read(ComponentSpec spec) => PostgreSqlSettingsReader.Read(spec).Connection;

    /// <summary>Where a connection goes, for logs and messages: hosts, port, database and user, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var host = connection.Host;
        return $"{host}{(host?.Contains(',', StringComparison.Ordinal) == true ? "" : ":" + connection.Port)}/{connection.Database} as {connection.Username}";
    }
}
