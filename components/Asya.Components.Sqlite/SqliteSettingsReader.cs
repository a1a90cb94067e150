using Asya.Components.Abstractions;
using Microsoft.Data.Sqlite;

namespace Asya.Components.Sqlite;

/// <summary>Turns the connection metadata shared by <c>pubsub.sqlite</c> and <c>state.sqlite</c> into database settings.</summary>
internal static class SqliteSettingsReader
{
    /// <summary>
    /// Accepts a plain path, <c>Data Source=…</c> (a Microsoft.Data.Sqlite connection string), a <c>file:</c> URI as
    /// Dapr's Go driver takes (its query options are ignored except <c>mode=memory</c>), or <c>:memory:</c>.
    /// The parent folder of a file is created.
    /// </summary>
    public static SqliteDatabaseSettings Read(
        MetadataReader reader, string key, string alias, TimeSpan busyTimeout, TimeSpan commandTimeout, bool wal)
    {
        var value = reader.GetRequiredString(key, alias).Trim();
        var dataSource = value;
        var inMemory = false;
        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var query = value.IndexOf('?', StringComparison.Ordinal);
            dataSource = query < 0 ? value[5..] : value[5..query];
            inMemory = query >= 0 && value[query..].Contains("mode=memory", StringComparison.OrdinalIgnoreCase);
        }
        else if (value.Contains('=', StringComparison.Ordinal))
        {
            SqliteConnectionStringBuilder builder;
            try
            {
                builder = new SqliteConnectionStringBuilder(value);
            }
            catch (ArgumentException ex)
            {
                throw ComponentConfigurationException.InvalidValue(reader.Spec, key, value, $"not a SQLite connection string: {ex.Message}");
            }

            dataSource = builder.DataSource;
            inMemory = builder.Mode == SqliteOpenMode.Memory;
        }

        if (dataSource is ":memory:" || (inMemory && dataSource.Length == 0))
        {
            inMemory = true;
            dataSource = "asya-" + Guid.NewGuid().ToString("N");
        }

        if (dataSource.Length == 0)
        {
            throw ComponentConfigurationException.InvalidValue(reader.Spec, key, value, "names no database file");
        }

        if (!inMemory)
        {
            dataSource = EnsureFolder(reader.Spec, key, value, dataSource);
        }

        return new SqliteDatabaseSettings(dataSource, inMemory, busyTimeout, commandTimeout, wal && !inMemory);
    }

    /// <summary>Opens the database, reporting a file that cannot be opened as a configuration error.</summary>
    public static SqliteDatabase Open(ComponentSpec spec, string key, SqliteDatabaseSettings settings, string schema)
    {
        try
        {
            return SqliteDatabase.Open(settings, schema);
        }
        catch (SqliteException ex)
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, key, settings.DataSource, $"cannot open the SQLite database: {ex.Message}");
        }
    }

    private static string EnsureFolder(ComponentSpec spec, string key, string value, string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            if (Path.GetDirectoryName(full) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ComponentConfigurationException.InvalidValue(spec, key, value, $"cannot create the database folder: {ex.Message}");
        }
    }
}
