using Asya.Components.Abstractions;
using Asya.Testing.Brokers;
using Npgsql;

namespace Asya.Components.PostgreSql.IntegrationTests;

/// <summary>Both forms of Dapr's connection string, the override keys, and errors that name the key but never the password.</summary>
[BrokerFree]
public sealed class ConnectionStringTests
{
    private const string Password = "s3cret-Pa55word";

    [Fact]
    public void Read_KeyValueForm_SetsEveryPart()
    {
        var settings = Read(("connectionString", $"host=db.local user=app password={Password} port=6543 database=orders sslmode=require connect_timeout=7"));

        var c = settings.Connection;
        Assert.Equal(("db.local", 6543, "app", Password, "orders"), (c.Host, c.Port, c.Username, c.Password, c.Database));
        Assert.Equal(SslMode.Require, c.SslMode);
        Assert.Equal(7, c.Timeout);
    }

    [Fact]
    public void Read_KeyValueQuotedValues_UnquotesAndUnescapes()
    {
        var settings = Read(("connectionString", @"host = db  user=app password='a b\'c\\d' dbname='my db'"));

        Assert.Equal(@"a b'c\d", settings.Connection.Password);
        Assert.Equal("my db", settings.Connection.Database);
        Assert.Equal("db", settings.Connection.Host);
    }

    [Fact]
    public void Read_UrlForm_DecodesUserPasswordDatabaseAndQuery()
    {
        var settings = Read(("connectionString", "postgresql://app:p%40ss%2Fw@db.local:6543/my%20db?sslmode=verify-full&application_name=asya+gw"));

        var c = settings.Connection;
        Assert.Equal(("db.local", 6543, "app", "p@ss/w", "my db"), (c.Host, c.Port, c.Username, c.Password, c.Database));
        Assert.Equal(SslMode.VerifyFull, c.SslMode);
        Assert.Equal("asya gw", c.ApplicationName);
    }

    [Fact]
    public void Read_UrlWithSeveralHosts_PairsEachHostWithItsPort()
    {
        var settings = Read(("connectionString", "postgres://app:pw@one:5433,two,[::1]:5435/db?target_session_attrs=read-write"));

        Assert.Equal("one:5433,two,[::1]:5435", settings.Connection.Host);
        Assert.Equal("read-write", settings.Connection.TargetSessionAttributes);
    }

    [Fact]
    public void Read_OverrideKeys_WinOverTheConnectionString()
    {
        var settings = Read(
            ("connectionString", "postgres://app:old@db:5432/a"), ("port", "6000"), ("password", Password), ("database", "b"), ("user", "other"));

        var c = settings.Connection;
        Assert.Equal((6000, Password, "b", "other"), (c.Port, c.Password, c.Database, c.Username));
    }

    [Fact]
    public void Read_HostKeyWithoutConnectionString_IsEnough()
    {
        var settings = Read(("host", "db"), ("user", "app"), ("password", Password));

        Assert.Equal(("db", "app"), (settings.Connection.Host, settings.Connection.Username));
    }

    [Fact]
    public void Read_ServerSettingInConnectionString_SentAsRuntimeOption()
    {
        var settings = Read(("connectionString", "host=db statement_timeout=5000 search_path=app"));

        Assert.Equal("-c statement_timeout=5000", settings.Connection.Options);
        Assert.Equal("app", settings.Connection.SearchPath);
    }

    [Fact]
    public void Read_Defaults_AreDaprs()
    {
        var settings = Read(("connectionString", "host=db"));

        Assert.Equal(("state", "dapr_metadata", "migrations-state-v2-"), (settings.Table, settings.MetadataTable, settings.MigrationKey));
        Assert.Equal(TimeSpan.FromHours(1), settings.CleanupInterval);
        Assert.Equal(20, settings.Connection.CommandTimeout);
        Assert.Equal(16, settings.Connection.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("tablePrefix", "app_", "app_state", "migrations-state-v2-app_")]
    [InlineData("tableName", "public.orders_state", "public.orders_state", "migrations-state-v2-public.orders_")]
    [InlineData("tableName", "results", "results", "asya-migrations-state-results")]
    public void Read_TableKeys_NameTableAndItsDaprMigrationRow(string key, string value, string table, string migrationKey)
    {
        var settings = Read(("connectionString", "host=db"), (key, value));

        Assert.Equal((table, migrationKey), (settings.Table, settings.MigrationKey));
    }

    [Theory]
    [InlineData("0", null)]
    [InlineData("-1", null)]
    [InlineData("10m", 600)]
    [InlineData("90", 90)]
    public void Read_CleanupInterval_ZeroOrNegativeTurnsItOff(string value, int? seconds)
    {
        var settings = Read(("connectionString", "host=db"), ("cleanupInterval", value));

        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), settings.CleanupInterval);
    }

    [Theory]
    [InlineData("exec", 0)]
    [InlineData("simple_protocol", 0)]
    [InlineData("cache_describe", 16)]
    public void Read_QueryExecMode_PreparesOnlyInCacheModes(string mode, int maxAutoPrepare)
    {
        var settings = Read(("connectionString", "host=db"), ("queryExecMode", mode), ("connectionMaxIdleTime", "5m"), ("maxConns", "7"));

        Assert.Equal((maxAutoPrepare, 300, 7), (settings.Connection.MaxAutoPrepare, settings.Connection.ConnectionIdleLifetime, settings.Connection.MaxPoolSize));
    }

    [Theory]
    [InlineData("host=db sslmode=bogus password=" + Password, "connectionString", "'sslmode' = 'bogus'")]
    [InlineData("host=db port=abc password=" + Password, "connectionString", "'port' = 'abc'")]
    [InlineData("host=db password='" + Password, "connectionString", "quoted value of 'password' has no closing quote")]
    [InlineData("host=db password", "connectionString", "'password' has no value")]
    [InlineData("user=app password=" + Password, "connectionString", "names no host")]
    [InlineData("Host=db;Username=app;Password=" + Password, "connectionString", "ADO.NET")]
    [InlineData("localhost", "connectionString", "neither key=value pairs")]
    [InlineData("postgres://app:" + Password + "@db:99999/x", "connectionString", "'port' = '99999'")]
    [InlineData("postgres://app:" + Password + "@[::1/x", "connectionString", "no closing ']'")]
    [InlineData("host=db gssencmode=require password=" + Password, "connectionString", "'gssencmode' is not supported")]
    [InlineData("host=db connect_timeout=soon", "connectionString", "'connect_timeout' = 'soon'")]
    public void Read_BadConnectionString_NamesKeyAndPartButNeverThePassword(string connectionString, string key, string problem)
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => Read(("connectionString", connectionString)));

        Assert.Contains("component 'pg'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"metadata '{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timeout", "500ms", "at least 1s")]
    [InlineData("timeout", "soon", "must be a duration")]
    [InlineData("cleanupInterval", "often", "must be a duration")]
    [InlineData("queryExecMode", "fast", "must be one of")]
    [InlineData("tableName", "state; DROP TABLE x", "plain SQL table name")]
    [InlineData("metadataTableName", "a.b.c", "plain SQL table name")]
    [InlineData("maxConns", "many", "integer")]
    [InlineData("port", "http", "whole number")]
    [InlineData("useAzureAD", "true", "not supported")]
    [InlineData("useAWSIAM", "true", "not supported")]
    public void Read_BadMetadataValue_NamesKeyAndValue(string key, string value, string problem)
    {
        var error = Assert.Throws<ComponentConfigurationException>(
            () => Read(("connectionString", $"host=db password={Password}"), (key, value)));

        Assert.Contains($"metadata '{key}' = '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TableNameAndTablePrefix_Refused()
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => Read(("connectionString", "host=db"), ("tableName", "a"), ("tablePrefix", "b_")));

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ConnectionStringFromSecretStore_BadPartShowsNoValue()
    {
        var spec = Spec(("connectionString", "host=db sslmode=bogus")) with
        {
            SecretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "connectionString" },
        };

        var error = Assert.Throws<ComponentConfigurationException>(() => PostgreSqlSettingsReader.Read(spec));

        Assert.Contains("parameter 'sslmode' = ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bogus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoConnectionStringNorHost_SaysWhichKeyIsRequired()
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => Read(("tableName", "state")));

        Assert.Contains("metadata 'connectionString' = (missing): this key is required", error.Message, StringComparison.Ordinal);
    }

    private static PostgreSqlStateSettings Read(params (string Key, string Value)[] metadata) => PostgreSqlSettingsReader.Read(Spec(metadata));

    private static ComponentSpec Spec(params (string Key, string Value)[] metadata) => ComponentSpec.Create("pg", "state.postgresql", metadata);
}
