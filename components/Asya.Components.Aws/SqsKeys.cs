namespace Asya.Components.Aws;

/// <summary>
/// Metadata keys of Dapr's <c>pubsub.aws.snssqs</c> and <c>bindings.aws.sqs</c>, spelled as Dapr spells them: the fields
/// of <c>snsSqsMetadata</c> and <c>sqsMetadata</c> in components-contrib v1.18 (c23900d2,
/// <c>pubsub/aws/snssqs/metadata.go</c>, <c>bindings/aws/sqs/sqs.go</c>) with the legacy spellings Dapr upgrades.
/// </summary>
internal static class SqsKeys
{
    public const string Region = "region";
    public const string AwsRegion = "awsRegion";
    public const string Endpoint = "endpoint";
    public const string AccessKey = "accessKey";
    public const string SecretKey = "secretKey";
    public const string SessionToken = "sessionToken";

    // Legacy spellings Dapr still upgrades.
    public const string AwsAccountId = "awsAccountID";
    public const string AwsSecret = "awsSecret";

    // pubsub.aws.snssqs
    public const string ConsumerId = "consumerID";
    public const string Partition = "partition";
    public const string AccountId = "accountID";
    public const string MessageVisibilityTimeout = "messageVisibilityTimeout";
    public const string MessageRetryLimit = "messageRetryLimit";
    public const string DisableDeleteOnRetryLimit = "disableDeleteOnRetryLimit";
    public const string DeadLettersQueueName = "sqsDeadLettersQueueName";
    public const string MessageReceiveLimit = "messageReceiveLimit";
    public const string MessageWaitTimeSeconds = "messageWaitTimeSeconds";
    public const string MessageMaxNumber = "messageMaxNumber";
    public const string Fifo = "fifo";
    public const string FifoMessageGroupId = "fifoMessageGroupID";
    public const string DisableEntityManagement = "disableEntityManagement";
    public const string AssetsManagementTimeoutSeconds = "assetsManagementTimeoutSeconds";
    public const string ConcurrencyMode = "concurrencyMode";
    public const string ConcurrencyLimit = "concurrencyLimit";

    // bindings.aws.sqs
    public const string QueueName = "queueName";
    public const string WaitTimeSeconds = "waitTimeSeconds";

    public static readonly string[] Auth = [Region, AwsRegion, Endpoint, AccessKey, SecretKey, SessionToken];

    /// <summary>Dapr's retry settings for failed ReceiveMessage calls; the sidecar's receive loop has its own backoff.</summary>
    public static readonly string[] BackOff =
    [
        "backOffPolicy", "backOffDuration", "backOffInitialInterval", "backOffMaxInterval", "backOffMaxRetries",
        "backOffMultiplier", "backOffRandomizationFactor", "backOffMaxElapsedTime",
    ];

    /// <summary>Keys accepted for compatibility that change nothing in the mesh (queue per actor, sidecar concurrency).</summary>
    public static readonly string[] NoEffect =
    [
        ConsumerId, Partition, AccountId, DisableDeleteOnRetryLimit, FifoMessageGroupId, ConcurrencyMode, ConcurrencyLimit, .. BackOff,
    ];

    public static readonly string[] SnsSqs =
    [
        .. Auth, AwsAccountId, AwsSecret, MessageVisibilityTimeout, MessageRetryLimit, DeadLettersQueueName, MessageReceiveLimit,
        MessageWaitTimeSeconds, MessageMaxNumber, Fifo, DisableEntityManagement, AssetsManagementTimeoutSeconds,
    ];

    public static readonly string[] Binding = [.. Auth, WaitTimeSeconds];

    /// <summary>The binding's own queue: the mesh names queues per actor instead.</summary>
    public static readonly string[] BindingNoEffect = [QueueName];
}
