namespace Asya.Components.RabbitMQ;

/// <summary>
/// Metadata keys of Dapr's <c>pubsub.rabbitmq</c>, spelled as Dapr spells them: the fields of <c>rabbitmqMetadata</c> and
/// <c>pubsub.TLSProperties</c> in components-contrib v1.18 (c23900d2, <c>pubsub/rabbitmq/metadata.go</c>), the legacy
/// <c>host</c>, plus a few of ours.
/// </summary>
internal static class RabbitMqKeys
{
    public const string ConnectionString = "connectionString";
    public const string Host = "host";
    public const string Protocol = "protocol";
    public const string Hostname = "hostname";
    public const string Username = "username";
    public const string Password = "password";
    public const string EnableTls = "enableTLS";
    public const string CaCert = "caCert";
    public const string ClientCert = "clientCert";
    public const string ClientKey = "clientKey";
    public const string SaslExternal = "saslExternal";
    public const string ClientName = "clientName";
    public const string HeartBeat = "heartBeat";
    public const string ReconnectWaitSeconds = "reconnectWaitSeconds";

    // Dapr's docs and tests write reconnectWait (often 0), but daprd only decodes reconnectWaitSeconds.
    public const string ReconnectWait = "reconnectWait";
    public const string Durable = "durable";
    public const string DeliveryMode = "deliveryMode";
    public const string PrefetchCount = "prefetchCount";
    public const string MaxLen = "maxLen";
    public const string MaxLenBytes = "maxLenBytes";
    public const string TtlInSeconds = "ttlInSeconds";
    public const string Ttl = "ttl";
    public const string PublisherConfirm = "publisherConfirm";

    // Accepted for Dapr manifests, with no effect on the mesh topology (logged once at start).
    public const string ConsumerId = "consumerID";
    public const string DeletedWhenUnused = "deletedWhenUnused";
    public const string AutoAck = "autoAck";
    public const string RequeueInFailure = "requeueInFailure";
    public const string Concurrency = "concurrency";
    public const string ConcurrencyMode = "concurrencyMode";
    public const string EnableDeadLetter = "enableDeadLetter";
    public const string ExchangeKind = "exchangeKind";
    public const string PublishMessagePropertiesToMetadata = "publishMessagePropertiesToMetadata";

    // Ours (not in Dapr).
    public const string Port = "port";
    public const string Vhost = "vhost";
    public const string ManagementUrl = "managementUrl";
    public const string VisibilityTimeout = "visibilityTimeout";

    /// <summary>Keys of Dapr's struct the mesh topology replaces (queue per actor, sidecar concurrency and retries).</summary>
    public static readonly string[] Ignored =
    [
        ConsumerId, DeletedWhenUnused, AutoAck, RequeueInFailure, Concurrency, ConcurrencyMode, EnableDeadLetter,
        ExchangeKind, PublishMessagePropertiesToMetadata, ReconnectWait,
    ];

    public static readonly string[] All =
    [
        ConnectionString, Host, Protocol, Hostname, Username, Password, EnableTls, CaCert, ClientCert, ClientKey,
        SaslExternal, ClientName, HeartBeat, ReconnectWaitSeconds, Durable, DeliveryMode, PrefetchCount,
        MaxLen, MaxLenBytes, TtlInSeconds, Ttl, PublisherConfirm, Port, Vhost, ManagementUrl, VisibilityTimeout,
    ];
}
