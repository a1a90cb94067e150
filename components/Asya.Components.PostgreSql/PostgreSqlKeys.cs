namespace Asya.Components.PostgreSql;

/// <summary>
/// Metadata keys of Dapr's <c>state.postgresql</c> v2, spelled as Dapr spells them: <c>pgMetadata</c> of
/// components-contrib c23900d2 (<c>state/postgresql/v2/metadata.go</c>) with the <c>PostgresAuthMetadata</c> it embeds
/// (<c>common/authentication/postgresql/metadata.go</c>), plus v1's <c>tableName</c>, which names the table whole.
/// </summary>
internal static class PostgreSqlKeys
{
    public const string ConnectionString = "connectionString";
    public const string Url = "url";
    public const string Host = "host";
    public const string HostAddr = "hostaddr";
    public const string Port = "port";
    public const string Database = "database";
    public const string User = "user";
    public const string Password = "password";
    public const string SslRootCert = "sslRootCert";
    public const string ConnectionMaxIdleTime = "connectionMaxIdleTime";
    public const string MaxConns = "maxConns";
    public const string QueryExecMode = "queryExecMode";
    public const string UseAzureAd = "useAzureAD";
    public const string UseAwsIam = "useAWSIAM";
    public const string TableName = "tableName";
    public const string TablePrefix = "tablePrefix";
    public const string MetadataTableName = "metadataTableName";
    public const string Timeout = "timeout";
    public const string TimeoutInSeconds = "timeoutInSeconds";
    public const string CleanupInterval = "cleanupInterval";
    public const string CleanupIntervalInSeconds = "cleanupIntervalInSeconds";

    /// <summary>Every key the state store reads.</summary>
    public static readonly string[] State =
    [
        ConnectionString, Url, Host, HostAddr, Port, Database, User, Password, SslRootCert, ConnectionMaxIdleTime, MaxConns,
        QueryExecMode, UseAzureAd, UseAwsIam, TableName, TablePrefix, MetadataTableName, Timeout, TimeoutInSeconds,
        CleanupInterval, CleanupIntervalInSeconds,
    ];
}
