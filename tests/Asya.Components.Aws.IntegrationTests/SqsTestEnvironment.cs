using Amazon.Runtime;
using Amazon.SQS;
using Asya.Testing.Brokers;

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>The test SQS emulator: <c>ASYA_TEST_SQS</c> (its URL), as printed by <c>deploy/local/services up sqs</c>.</summary>
internal static class SqsTestEnvironment
{
    public const string AccessKey = "test-access-key";
    public const string SecretKey = "test-secret-key-never-shown";

    public static BrokerEnvironment Broker { get; } = new("ASYA_TEST_SQS", "sqs");

    public static string RequireEndpoint() => Broker.RequireEndpoint();

    /// <summary>Metadata of a <c>pubsub.aws.snssqs</c> component on the emulator.</summary>
    public static (string Key, string Value)[] Connection() =>
        [("endpoint", RequireEndpoint()), ("region", "us-east-1"), ("accessKey", AccessKey), ("secretKey", SecretKey)];

    /// <summary>A plain SDK client on the emulator, for looking at what the transport wrote.</summary>
    public static AmazonSQSClient RawClient() =>
        new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonSQSConfig { ServiceURL = RequireEndpoint(), AuthenticationRegion = "us-east-1" });
}
