namespace Asya.Components.Redis;

/// <summary>
/// Metadata keys of Dapr's Redis components, spelled as Dapr spells them: the fields of the <c>Settings</c> struct that
/// <c>pubsub.redis</c> and <c>state.redis</c> both decode in components-contrib v1.18 (c23900d2,
/// <c>common/component/redis/settings.go</c>); its <c>mdonly</c> tags only shape the docs, so a state store accepts the
/// stream keys too.
/// </summary>
internal static class RedisKeys
{
    public const string RedisHost = "redisHost";
    public const string RedisPort = "redisPort";
    public const string RedisUsername = "redisUsername";
    public const string RedisPassword = "redisPassword";
    public const string RedisDb = "redisDB";
    public const string RedisType = "redisType";
    public const string EnableTls = "enableTLS";
    public const string InsecureSkipTlsVerify = "insecureSkipTLSVerify";
    public const string ClientCert = "clientCert";
    public const string ClientKey = "clientKey";
    public const string Failover = "failover";
    public const string SentinelMasterName = "sentinelMasterName";
    public const string SentinelUsername = "sentinelUsername";
    public const string SentinelPassword = "sentinelPassword";
    public const string DialTimeout = "dialTimeout";
    public const string ReadTimeout = "readTimeout";
    public const string WriteTimeout = "writeTimeout";
    public const string RedisMaxRetries = "redisMaxRetries";
    public const string RedisMinRetryInterval = "redisMinRetryInterval";
    public const string RedisMaxRetryInterval = "redisMaxRetryInterval";
    public const string PoolSize = "poolSize";
    public const string PoolTimeout = "poolTimeout";
    public const string MaxConnAge = "maxConnAge";
    public const string MinIdleConns = "minIdleConns";
    public const string IdleCheckFrequency = "idleCheckFrequency";
    public const string IdleTimeout = "idleTimeout";
    public const string UseEntraId = "useEntraID";
    public const string UseAzureAd = "useAzureAD";
    public const string UseOidc = "useOIDC";

    /// <summary>OIDC client settings, read by Dapr only with <c>useOIDC</c>.</summary>
    public static readonly string[] OidcKeys =
    [
        "oidcTokenEndpoint", "oidcClientID", "oidcClientAssertionCert", "oidcClientAssertionKey", "oidcResource",
        "oidcAudience", "oidcKid", "oidcScopes", "oidcCACert",
    ];

    // pubsub.redis only.
    public const string ConsumerId = "consumerID";
    public const string ProcessingTimeout = "processingTimeout";
    public const string RedeliverInterval = "redeliverInterval";
    public const string QueueDepth = "queueDepth";
    public const string Concurrency = "concurrency";
    public const string MaxLenApprox = "maxLenApprox";
    public const string StreamTtl = "streamTTL";

    // state.redis only.
    public const string TtlInSeconds = "ttlInSeconds";
    public const string MaxRetries = "maxRetries";
    public const string MaxRetryBackoff = "maxRetryBackoff";
    public const string QueryIndexes = "queryIndexes";

    /// <summary>Connection-pool keys of Dapr's Go client; one multiplexed connection makes them moot.</summary>
    public static readonly string[] PoolKeys =
        [PoolSize, PoolTimeout, MaxConnAge, MinIdleConns, IdleCheckFrequency, IdleTimeout, RedisMaxRetries, MaxRetries, MaxRetryBackoff];

    /// <summary>Keys both components read.</summary>
    public static readonly string[] Connection =
    [
        RedisHost, RedisPort, RedisUsername, RedisPassword, RedisDb, RedisType, EnableTls, InsecureSkipTlsVerify,
        ClientCert, ClientKey, Failover, SentinelMasterName, SentinelUsername, SentinelPassword, DialTimeout,
        ReadTimeout, WriteTimeout, RedisMinRetryInterval, RedisMaxRetryInterval, UseEntraId, UseAzureAd, UseOidc,
    ];

    /// <summary>Keys of the stream (pub/sub) half of the settings.</summary>
    public static readonly string[] Streams = [ConsumerId, ProcessingTimeout, RedeliverInterval, QueueDepth, Concurrency, MaxLenApprox, StreamTtl];

    /// <summary>Keys of the state half of the settings.</summary>
    public static readonly string[] State = [TtlInSeconds, QueryIndexes];
}
