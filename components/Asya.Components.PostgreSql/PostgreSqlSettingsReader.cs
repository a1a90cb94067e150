using System.Text.RegularExpressions;
using Asya.Components.Abstractions;
using Npgsql;

namespace Asya.Components.PostgreSql;

/// <summary>
/// Reads <c>state.postgresql</c> metadata as Dapr's v2 component does: the connection string (key=value or URL form),
/// then the override keys <c>host</c>, <c>hostaddr</c>, <c>port</c>, <c>database</c>, <c>user</c>, <c>password</c> and
/// <c>sslRootCert</c> on top of it; defaults <c>timeout</c> 20s, <c>cleanupInterval</c> 1h (0 or negative: off),
/// <c>metadataTableName</c> <c>dapr_metadata</c>.
/// </summary>
internal static partial class PostgreSqlSettingsReader
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromHours(1);
    private static readonly string[] QueryExecModes = ["cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol"];

    /// <summary>Dapr's override keys and the libpq parameter each one sets.</summary>
    private static readonly (string Key, string Parameter)[] Overrides =
    [
        (PostgreSqlKeys.Host, "host"), (PostgreSqlKeys.HostAddr, "hostaddr"), (PostgreSqlKeys.Port, "port"),
        (PostgreSqlKeys.Database, "dbname"), (PostgreSqlKeys.User, "user"), (PostgreSqlKeys.Password, "password"),
        (PostgreSqlKeys.SslRootCert, "sslrootcert"),
    ];

    public static PostgreSqlStateSettings Read(ComponentSpec spec)
    {
        var reader = new MetadataReader(spec);
        RefuseCloudAuthentication(reader);

        var parameters = new List<ConnectionParameter>();
        var connectionKey = reader.GetString(PostgreSqlKeys.ConnectionString) is null && reader.GetString(PostgreSqlKeys.Url) is not null
            ? PostgreSqlKeys.Url
            : PostgreSqlKeys.ConnectionString;
        if (reader.GetString(connectionKey) is { } text)
        {
            parameters.AddRange(ConnectionStringParser.Parse(spec, connectionKey, text));
        }
        else if (reader.GetString(PostgreSqlKeys.Host, PostgreSqlKeys.HostAddr) is null)
        {
            throw ComponentConfigurationException.InvalidValue(spec, PostgreSqlKeys.ConnectionString, null, "this key is required (or give 'host')");
        }

        foreach (var (key, parameter) in Overrides)
        {
            if (reader.GetString(key) is { } value)
            {
                parameters.Add(new ConnectionParameter(parameter, value, key));
            }
        }

        var builder = ConnectionParameterMapper.Map(spec, parameters, out var execMode);
        var timeoutKey = reader.GetString(PostgreSqlKeys.Timeout) is null && reader.GetString(PostgreSqlKeys.TimeoutInSeconds) is not null
            ? PostgreSqlKeys.TimeoutInSeconds
            : PostgreSqlKeys.Timeout;
        var timeout = reader.GetDuration(timeoutKey, DefaultTimeout);
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw ComponentConfigurationException.InvalidValue(spec, timeoutKey, reader.GetString(timeoutKey), "must be at least 1s");
        }

        // Dapr's timeout bounds every database call; connect_timeout in the connection string still bounds the connect.
        builder.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        if (!parameters.Any(p => p.Name == "connect_timeout"))
        {
            builder.Timeout = Math.Min(ConnectionParameterMapper.MaxConnectTimeout, builder.CommandTimeout);
        }

        var idle = reader.GetDuration(PostgreSqlKeys.ConnectionMaxIdleTime, TimeSpan.Zero);
        if (idle > TimeSpan.Zero)
        {
            builder.ConnectionIdleLifetime = (int)Math.Max(1, Math.Ceiling(idle.TotalSeconds));
        }

        // As Dapr: 0 or 1 keeps the driver's default pool size.
        var maxConns = reader.GetInt(PostgreSqlKeys.MaxConns, 0);
        if (maxConns > 1)
        {
            builder.MaxPoolSize = maxConns;
        }

        ApplyQueryExecMode(spec, builder, reader.GetString(PostgreSqlKeys.QueryExecMode) ?? execMode);
        var (table, migrationKey, cleanupKey) = ReadTable(reader);
        var metadataTable = reader.GetString(PostgreSqlKeys.MetadataTableName) ?? "dapr_metadata";
        RequireTableName(spec, PostgreSqlKeys.MetadataTableName, metadataTable);
        return new PostgreSqlStateSettings(builder, table, metadataTable, migrationKey, cleanupKey, ReadCleanupInterval(reader));
    }

    /// <summary>
    /// <c>tableName</c> names the table whole (Dapr v1's key); <c>tablePrefix</c> (v2's key) prefixes <c>state</c>. The
    /// metadata rows use v2's names (<c>migrations-state-v2-&lt;prefix&gt;</c>) whenever the table is prefix + <c>state</c>,
    /// so Dapr and this store agree on one table's schema version and share its sweeps.
    /// </summary>
    private static (string Table, string MigrationKey, string CleanupKey) ReadTable(MetadataReader reader)
    {
        var name = reader.GetString(PostgreSqlKeys.TableName);
        var prefix = reader.GetString(PostgreSqlKeys.TablePrefix);
        if (name is not null && prefix is not null)
        {
            throw ComponentConfigurationException.InvalidValue(
                reader.Spec, PostgreSqlKeys.TablePrefix, prefix, "give tableName or tablePrefix, not both");
        }

        var table = name ?? (prefix ?? "") + "state";
        RequireTableName(reader.Spec, name is null && prefix is not null ? PostgreSqlKeys.TablePrefix : PostgreSqlKeys.TableName, table);
        if (table.EndsWith("state", StringComparison.Ordinal))
        {
            var daprPrefix = table[..^"state".Length];
            return (table, "migrations-state-v2-" + daprPrefix, "last-cleanup-state-v2-" + daprPrefix);
        }

        return (table, "asya-migrations-state-" + table, "asya-last-cleanup-state-" + table);
    }

    private static void RequireTableName(ComponentSpec spec, string key, string table)
    {
        if (!TableNamePattern().IsMatch(table))
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, key, table, "must be a plain SQL table name, optionally schema-qualified (letters, digits, underscores: public.state)");
        }
    }

    private static TimeSpan? ReadCleanupInterval(MetadataReader reader)
    {
        var key = reader.GetString(PostgreSqlKeys.CleanupInterval) is null && reader.GetString(PostgreSqlKeys.CleanupIntervalInSeconds) is not null
            ? PostgreSqlKeys.CleanupIntervalInSeconds
            : PostgreSqlKeys.CleanupInterval;
        if (reader.GetString(key) is not { } text)
        {
            return DefaultCleanupInterval;
        }

        // Dapr documents "-1" (any value <= 0) as "no periodic cleanup", so negatives are allowed here.
        return MetadataReader.TryParseDuration(text, bareNumberIsMilliseconds: false, out var interval)
            ? interval > TimeSpan.Zero ? interval : null
            : throw ComponentConfigurationException.InvalidValue(
                reader.Spec, key, text, "must be a duration such as 10m or 1h, or 0 (or negative) to turn the cleanup off");
    }

    /// <summary>
    /// pgx's statement modes, mapped onto Npgsql's automatic preparation: the cache modes prepare frequent statements
    /// (pgx's default), the others never prepare, which is what connection poolers such as PgBouncer need.
    /// </summary>
    private static void ApplyQueryExecMode(ComponentSpec spec, NpgsqlConnectionStringBuilder builder, string? mode)
    {
        if (mode is not null && !QueryExecModes.Contains(mode, StringComparer.Ordinal))
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, PostgreSqlKeys.QueryExecMode, mode, $"must be one of {string.Join(", ", QueryExecModes)}");
        }

        builder.MaxAutoPrepare = mode is null or "cache_statement" or "cache_describe" ? 16 : 0;
    }

    private static void RefuseCloudAuthentication(MetadataReader reader)
    {
        foreach (var key in (string[])[PostgreSqlKeys.UseAzureAd, PostgreSqlKeys.UseAwsIam])
        {
            if (reader.GetBool(key, defaultValue: false))
            {
                throw ComponentConfigurationException.InvalidValue(
                    reader.Spec, key, reader.GetString(key), "token authentication is not supported here; "
                    + "authenticate with a password (in connectionString or the 'password' key, e.g. from a secretKeyRef)");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$")]
    private static partial Regex TableNamePattern();
}
