using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Aws;

/// <summary>Reads each component type's own Dapr keys into <see cref="SqsSettings"/>; bad values name component, key and value.</summary>
internal static class SqsSettingsReader
{
    private const int MaxVisibilitySeconds = 43_200;
    private const int MaxWaitSeconds = 20;

    /// <summary><c>pubsub.aws.snssqs</c>: SQS queues only (no SNS topics), one per actor.</summary>
    public static SqsSettings ReadSnsSqs(ComponentSpec spec, ILogger logger)
    {
        var reader = new MetadataReader(spec);
        if (reader.GetBool(SqsKeys.Fifo, false))
        {
            throw ComponentConfigurationException.InvalidValue(spec, SqsKeys.Fifo, reader.GetString(SqsKeys.Fifo),
                "FIFO queues are not supported: the mesh keeps one standard queue per actor and orders nothing across actors; "
                + "remove fifo (or set it to false) and use standard queues");
        }

        var retryLimit = reader.GetInt(SqsKeys.MessageRetryLimit, 10, min: 2, max: 1000);
        var deadLetter = reader.GetString(SqsKeys.DeadLettersQueueName) is not null;
        if (deadLetter)
        {
            logger.DeadLetterNaming(spec.Name, SqsKeys.DeadLettersQueueName);
        }

        return ReadAuth(spec, reader) with
        {
            VisibilityTimeout = TimeSpan.FromSeconds(reader.GetInt(SqsKeys.MessageVisibilityTimeout, 10, min: 1, max: MaxVisibilitySeconds)),
            WaitTimeSeconds = reader.GetInt(SqsKeys.MessageWaitTimeSeconds, 2, min: 1, max: MaxWaitSeconds),
            MaxMessages = reader.GetInt(SqsKeys.MessageMaxNumber, 10, min: 1, max: 10),
            DeadLetter = deadLetter,
            // Dapr pairs the DLQ with messageReceiveLimit; without it, messageRetryLimit is the limit.
            MaxReceiveCount = reader.GetInt(SqsKeys.MessageReceiveLimit, retryLimit, min: 1, max: 1000),
            ManageQueues = !reader.GetBool(SqsKeys.DisableEntityManagement, false),
            ManagementTimeout = Positive(reader, SqsKeys.AssetsManagementTimeoutSeconds, TimeSpan.FromSeconds(5)),
        };
    }

    /// <summary><c>bindings.aws.sqs</c>: Dapr's binding waits 20 s per poll and has no other queue keys.</summary>
    public static SqsSettings ReadBinding(ComponentSpec spec, ILogger logger)
    {
        var reader = new MetadataReader(spec);
        return ReadAuth(spec, reader) with
        {
            VisibilityTimeout = TimeSpan.FromSeconds(30),
            WaitTimeSeconds = reader.GetInt(SqsKeys.WaitTimeSeconds, MaxWaitSeconds, min: 0, max: MaxWaitSeconds),
        };
    }

    private static SqsSettings ReadAuth(ComponentSpec spec, MetadataReader reader)
    {
        Uri? endpoint = null;
        if (reader.GetString(SqsKeys.Endpoint) is { } text)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Host.Length == 0)
            {
                throw ComponentConfigurationException.InvalidValue(spec, SqsKeys.Endpoint, text, "must be an http:// or https:// URL such as http://127.0.0.1:9324");
            }
        }

        var region = reader.GetString(SqsKeys.Region, SqsKeys.AwsRegion)?.Trim();
        if (region is not null && !IsRegionName(region))
        {
            throw ComponentConfigurationException.InvalidValue(spec, SqsKeys.Region, region, "must be an AWS region name such as us-east-1");
        }

        var accessKey = reader.GetString(SqsKeys.AccessKey, SqsKeys.AwsAccountId)?.Trim();
        var secretKey = reader.GetString(SqsKeys.SecretKey, SqsKeys.AwsSecret)?.Trim();
        if ((accessKey is null) != (secretKey is null))
        {
            var missing = accessKey is null ? SqsKeys.AccessKey : SqsKeys.SecretKey;
            throw ComponentConfigurationException.InvalidValue(spec, missing, null,
                $"{SqsKeys.AccessKey} and {SqsKeys.SecretKey} go together; give both, or neither to use the SDK's default credential chain");
        }

        var sessionToken = reader.GetString(SqsKeys.SessionToken)?.Trim();
        if (sessionToken is not null && accessKey is null)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: metadata '{SqsKeys.SessionToken}' = ***: a session token needs {SqsKeys.AccessKey} and {SqsKeys.SecretKey}");
        }

        return new SqsSettings
        {
            ComponentName = spec.Name,
            Region = region,
            Endpoint = endpoint,
            AccessKey = accessKey,
            SecretKey = secretKey,
            SessionToken = sessionToken,
        };
    }

    private static bool IsRegionName(string region) =>
        region.Length is > 0 and <= 32 && region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static TimeSpan Positive(MetadataReader reader, string key, TimeSpan defaultValue)
    {
        var value = reader.GetDuration(key, defaultValue);
        return value > TimeSpan.Zero
            ? value
            : throw ComponentConfigurationException.InvalidValue(reader.Spec, key, reader.GetString(key), "must be positive");
    }
}
