namespace Asya.Components.Gcp;

/// <summary>
/// Metadata keys of Dapr's <c>pubsub.gcp.pubsub</c>: the fields of its <c>metadata</c> struct in components-contrib v1.18
/// (c23900d2, <c>pubsub/gcp/pubsub/metadata.go</c>); lookups are case-insensitive, so <c>projectID</c> matches too.
/// </summary>
internal static class GcpKeys
{
    public const string ProjectId = "projectId";
    public const string Endpoint = "endpoint";
    public const string ConsumerId = "consumerID";
    public const string DisableEntityManagement = "disableEntityManagement";
    public const string EnableMessageOrdering = "enableMessageOrdering";
    public const string OrderingKey = "orderingKey";
    public const string DeadLetterTopic = "deadLetterTopic";
    public const string MaxDeliveryAttempts = "maxDeliveryAttempts";
    public const string AckDeadline = "ackDeadline";
    public const string MaxReconnectionAttempts = "maxReconnectionAttempts";
    public const string ConnectionRecoveryInSec = "connectionRecoveryInSec";
    public const string MaxOutstandingMessages = "maxOutstandingMessages";
    public const string MaxOutstandingBytes = "maxOutstandingBytes";
    public const string MaxConcurrentConnections = "maxConcurrentConnections";

    /// <summary>Ours, not Dapr's: StreamingPull (true) or polled unary Pull (false); the default is false only for an emulator.</summary>
    public const string StreamingPull = "streamingPull";

    // Service-account fields, as Dapr names them; the snake_case names of a key file are accepted as aliases.
    public const string Type = "type";
    public const string PrivateKeyId = "privateKeyId";
    public const string PrivateKey = "privateKey";
    public const string ClientEmail = "clientEmail";
    public const string ClientId = "clientId";
    public const string AuthUri = "authUri";
    public const string TokenUri = "tokenUri";
    public const string AuthProviderX509CertUrl = "authProviderX509CertUrl";
    public const string ClientX509CertUrl = "clientX509CertUrl";
    public const string IdentityProjectId = "identityProjectId";

    /// <summary>Each credential key with its key-file spelling.</summary>
    public static readonly IReadOnlyList<(string Key, string Alias)> Credentials =
    [
        (Type, "type"),
        (PrivateKeyId, "private_key_id"),
        (PrivateKey, "private_key"),
        (ClientEmail, "client_email"),
        (ClientId, "client_id"),
        (AuthUri, "auth_uri"),
        (TokenUri, "token_uri"),
        (AuthProviderX509CertUrl, "auth_provider_x509_cert_url"),
        (ClientX509CertUrl, "client_x509_cert_url"),
        (IdentityProjectId, "identity_project_id"),
    ];

    /// <summary>
    /// Accepted, no effect: topic and subscription are both named after the queue (consumerID), one stream per queue
    /// (maxConcurrentConnections), streams are reopened for as long as the process runs (maxReconnectionAttempts).
    /// </summary>
    public static readonly IReadOnlyCollection<string> NoEffect = [ConsumerId, MaxConcurrentConnections, MaxReconnectionAttempts];

    public static readonly IReadOnlyCollection<string> All =
    [
        ProjectId, "project_id", Endpoint, DisableEntityManagement, EnableMessageOrdering, OrderingKey,
        DeadLetterTopic, MaxDeliveryAttempts, AckDeadline, ConnectionRecoveryInSec,
        MaxOutstandingMessages, MaxOutstandingBytes, StreamingPull,
        .. Credentials.Select(c => c.Key), .. Credentials.Select(c => c.Alias).Where(a => a != "type"),
    ];
}
