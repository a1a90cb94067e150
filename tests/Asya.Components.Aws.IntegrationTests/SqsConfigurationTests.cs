using Asya.Components.Abstractions;
using Asya.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Components.Aws.IntegrationTests;

public sealed class SqsConfigurationTests
{
    [BrokerFree]
    [Fact]
    public async Task InitAsync_UnreachableEndpoint_ErrorNamesComponentKeyAndEndpointButNotSecret()
    {
        await using var transport = (ITransport)new SnsSqsTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create("orders-bus", SnsSqsTransportFactory.Type,
            ("endpoint", "http://127.0.0.1:1"), ("region", "us-east-1"), ("accessKey", SqsTestEnvironment.AccessKey),
            ("secretKey", SqsTestEnvironment.SecretKey), ("assetsManagementTimeoutSeconds", "2"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("(endpoint)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SqsTestEnvironment.SecretKey, error.ToString(), StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task InitAsync_CredentialsRejected_ErrorNamesKeysWithoutTheirSecrets()
    {
        // The emulator takes any keys, so a stand-in endpoint answers the start-up call as SQS does for unknown keys.
        using var endpoint = new RejectingEndpoint();
        await using var transport = (ITransport)new SnsSqsTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create("orders-bus", SnsSqsTransportFactory.Type,
            ("endpoint", endpoint.Url), ("region", "us-east-1"), ("accessKey", "AKIAEXAMPLEKEY"), ("secretKey", SqsTestEnvironment.SecretKey));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rejected the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidClientTokenId", error.Message, StringComparison.Ordinal);
        Assert.Contains("accessKey 'AKIA…'", error.Message, StringComparison.Ordinal);
        Assert.Contains("secretKey ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLEKEY", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SqsTestEnvironment.SecretKey, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pubsub.aws.snssqs", "endpoint", "not a url")]
    [InlineData("pubsub.aws.snssqs", "endpoint", "ftp://127.0.0.1:9324")]
    [InlineData("pubsub.aws.snssqs", "region", "US East")]
    [InlineData("pubsub.aws.snssqs", "messageVisibilityTimeout", "0")]
    [InlineData("pubsub.aws.snssqs", "messageVisibilityTimeout", "soon")]
    [InlineData("pubsub.aws.snssqs", "messageWaitTimeSeconds", "0")]
    [InlineData("pubsub.aws.snssqs", "messageWaitTimeSeconds", "21")]
    [InlineData("pubsub.aws.snssqs", "messageMaxNumber", "11")]
    [InlineData("pubsub.aws.snssqs", "messageRetryLimit", "1")]
    [InlineData("pubsub.aws.snssqs", "messageReceiveLimit", "0")]
    [InlineData("pubsub.aws.snssqs", "assetsManagementTimeoutSeconds", "0")]
    [InlineData("pubsub.aws.snssqs", "fifo", "true")]
    [InlineData("bindings.aws.sqs", "waitTimeSeconds", "30")]
    [InlineData("bindings.aws.sqs", "endpoint", "127.0.0.1:9324")]
    public async Task InitAsync_BadValue_ThrowsNamingComponentKeyAndValue(string type, string key, string value)
    {
        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(() => InitAsync(type, (key, value)));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_AccessKeyWithoutSecretKey_ThrowsNamingTheMissingKey()
    {
        var spec = ComponentSpec.Create("orders-bus", SnsSqsTransportFactory.Type, ("endpoint", SqsTestEnvironment.RequireEndpoint()), ("accessKey", "AKIAEXAMPLE"));
        await using var transport = (ITransport)new SnsSqsTransportFactory().Create(new TestServices());

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'secretKey'", error.Message, StringComparison.Ordinal);
        Assert.Contains("(missing)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_SessionTokenWithoutKeys_ThrowsWithoutShowingTheToken()
    {
        const string Token = "session-token-value";
        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(() => InitAsync(SnsSqsTransportFactory.Type, ("sessionToken", Token), ("accessKey", ""), ("secretKey", "")));

        Assert.Contains("'sessionToken'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_SnsSqsKeys_ReadAsDaprNamesThem()
    {
        await using var transport = (SqsTransport)await InitAsync(SnsSqsTransportFactory.Type,
            ("awsRegion", "eu-west-1"), ("messageVisibilityTimeout", "45"), ("messageWaitTimeSeconds", "5"), ("messageMaxNumber", "4"),
            ("sqsDeadLettersQueueName", "orders-dlq"), ("messageRetryLimit", "3"), ("disableEntityManagement", "yes"),
            ("assetsManagementTimeoutSeconds", "2.5"), ("concurrencyMode", "single"));

        var settings = transport.Settings;
        Assert.Equal("eu-west-1", settings.Region);
        Assert.Equal(TimeSpan.FromSeconds(45), settings.VisibilityTimeout);
        Assert.Equal(5, settings.WaitTimeSeconds);
        Assert.Equal(4, settings.MaxMessages);
        Assert.True(settings.DeadLetter);
        Assert.Equal(3, settings.MaxReceiveCount);
        Assert.False(settings.ManageQueues);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.ManagementTimeout);
    }

    [Fact]
    public async Task InitAsync_BindingKeys_UseTheBindingDefaults()
    {
        await using var transport = (SqsTransport)await InitAsync(SqsBindingTransportFactory.Type, ("queueName", "orders"));

        Assert.Equal(20, transport.Settings.WaitTimeSeconds);
        Assert.Equal(10, transport.Settings.MaxMessages);
        Assert.False(transport.Settings.DeadLetter);
        Assert.True(transport.Settings.ManageQueues);
    }

    [BrokerFree]
    [Fact]
    public void AddAwsComponents_CalledTwice_RegistersBothTypesOnceWithTheirOwnKeys()
    {
        var services = new ServiceCollection().AddAwsComponents().AddAwsComponents();

        var factories = services.Where(s => s.ServiceType == typeof(IComponentFactory)).Select(s => (IComponentFactory)Activator.CreateInstance(s.ImplementationType!)!).ToList();

        Assert.Equal(2, factories.Count);
        var snssqs = Assert.Single(factories, f => f.Types.Contains("pubsub.aws.snssqs"));
        var binding = Assert.Single(factories, f => f.Types.Contains("bindings.aws.sqs"));
        Assert.Contains("messageVisibilityTimeout", snssqs.MetadataKeys);
        Assert.DoesNotContain("messageVisibilityTimeout", binding.MetadataKeys);
        Assert.Contains("queueName", binding.NoEffectKeys);
    }

    private static async Task<ITransport> InitAsync(string type, params (string Key, string Value)[] metadata)
    {
        IComponentFactory factory = type == SnsSqsTransportFactory.Type ? new SnsSqsTransportFactory() : new SqsBindingTransportFactory();
        var transport = (ITransport)factory.Create(new TestServices());
        var connection = SqsTestEnvironment.Connection().Where(c => !metadata.Any(m => Same(m.Key, c.Key) || (Same(m.Key, "awsRegion") && Same(c.Key, "region"))));
        try
        {
            await transport.InitAsync(ComponentSpec.Create("orders-bus", type, [.. connection, .. metadata]), default);
            return transport;
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
