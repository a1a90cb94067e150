using System.Security.Cryptography;
using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Asya.Components.Gcp.IntegrationTests;

public sealed class PubSubConfigurationTests : IDisposable
{
    private const string SecretMarker = "TOP-SECRET-KEY-MATERIAL";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("ackDeadline", "0")]
    [InlineData("ackDeadline", "700s")]
    [InlineData("ackDeadline", "soon")]
    [InlineData("maxDeliveryAttempts", "2")]
    [InlineData("maxDeliveryAttempts", "many")]
    [InlineData("deadLetterTopic", "dl")]
    [InlineData("deadLetterTopic", "9-lives")]
    [InlineData("endpoint", "http://localhost:8085/v1")]
    [InlineData("endpoint", "ftp://localhost:8085")]
    [InlineData("maxOutstandingMessages", "lots")]
    [InlineData("maxOutstandingBytes", "1GB")]
    [InlineData("connectionRecoveryInSec", "0")]
    [InlineData("projectId", "my/project")]
    public async Task InitAsync_BadValue_ThrowsNamingComponentKeyAndValue(string key, string value)
    {
        await using var transport = NewTransport();
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["projectId"] = PubSubTestEnvironment.Project,
            ["endpoint"] = PubSubTestEnvironment.RequireEndpoint(),
            [key] = value,
        };

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(new ComponentSpec("orders-bus", "pubsub.gcp.pubsub", "v1", metadata), default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_NoProjectId_ThrowsNamingKey()
    {
        await using var transport = NewTransport();

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(
            ComponentSpec.Create("orders-bus", "pubsub.gcp.pubsub", ("endpoint", PubSubTestEnvironment.RequireEndpoint())), default));

        Assert.Contains("projectId", error.Message, StringComparison.Ordinal);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task InitAsync_UnreachableEndpoint_ErrorNamesComponentAndEndpoint()
    {
        await using var transport = NewTransport();

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(
            ComponentSpec.Create("orders-bus", "pubsub.gcp.pubsub", ("projectId", "asya-test"), ("endpoint", "127.0.0.1:1")), default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Theory]
    [InlineData("not a pem " + SecretMarker)]
    [InlineData("-----BEGIN PRIVATE KEY-----\n" + SecretMarker + "\n-----END PRIVATE KEY-----\n")]
    public async Task InitAsync_BadPrivateKey_ErrorNamesKeyButNeverShowsIt(string privateKey)
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.gcp.pubsub", ("projectId", "asya-test"), ("type", "service_account"),
            ("privateKey", privateKey), ("clientEmail", "mesh@asya-test.iam.gserviceaccount.com"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("privateKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretMarker, error.ToString(), StringComparison.Ordinal);
    }

    [BrokerFree]
    [Theory]
    [InlineData("type", "authorized_user")]
    [InlineData("clientEmail", "nobody")]
    [InlineData("tokenUri", "not a url")]
    public async Task InitAsync_BadServiceAccountField_ThrowsNamingKeyAndValue(string key, string value)
    {
        await using var transport = NewTransport();
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["projectId"] = "asya-test",
            ["privateKey"] = NewPrivateKeyPem(),
            ["clientEmail"] = "mesh@asya-test.iam.gserviceaccount.com",
            [key] = value,
        };

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(new ComponentSpec("orders-bus", "pubsub.gcp.pubsub", "v1", metadata), default));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task OpenAsync_ServiceAccountKeyWithEscapedNewlines_BuildsCloudChannel()
    {
        // The key as it appears inside a JSON key file (literal \n), the way it is usually pasted into a manifest.
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.gcp.pubsub", ("project_id", "asya-test"), ("type", "service_account"),
            ("private_key_id", "abc123"), ("private_key", NewPrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal)),
            ("client_email", "mesh@asya-test.iam.gserviceaccount.com"), ("client_id", "1234"));
        var settings = GcpPubSubSettings.Read(spec, _ => null);

        using var connection = await PubSubConnection.OpenAsync(spec, settings, default);

        Assert.Null(settings.EmulatorEndpoint);
        Assert.True(settings.StreamingPull);
        Assert.Contains("\"client_email\":\"mesh@asya-test.iam.gserviceaccount.com\"", settings.ServiceAccountJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_PubSubEmulatorHostVariable_UsedWithoutEndpointKey()
    {
        var emulator = PubSubTestEnvironment.RequireEndpoint();
        await using var transport = new GcpPubSubTransport(
            TimeProvider.System, NullLogger<GcpPubSubTransport>.Instance, name => name == "PUBSUB_EMULATOR_HOST" ? emulator : null);

        await transport.InitAsync(ComponentSpec.Create("orders-bus", "pubsub.gcp.pubsub", ("projectId", PubSubTestEnvironment.Project)), default);

        Assert.Equal(new Uri("http://" + emulator), transport.Settings.EmulatorEndpoint);
        Assert.False(transport.Settings.StreamingPull);
    }

    [Fact]
    public async Task InitAsync_DaprKeys_AcceptedAndRead()
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.gcp.pubsub", ("projectID", PubSubTestEnvironment.Project), ("endpoint", PubSubTestEnvironment.RequireEndpoint()),
            ("consumerID", "orders"), ("ackDeadline", "45"), ("maxDeliveryAttempts", "7"), ("deadLetterTopic", "orders-dead"),
            ("disableEntityManagement", "false"), ("enableMessageOrdering", "true"), ("orderingKey", "k"),
            ("maxReconnectionAttempts", "10"), ("connectionRecoveryInSec", "5"), ("maxOutstandingMessages", "-1"),
            ("maxOutstandingBytes", "-1"), ("maxConcurrentConnections", "4"));

        await transport.InitAsync(spec, default);

        var settings = transport.Settings;
        Assert.Equal(TimeSpan.FromSeconds(45), settings.AckDeadline);
        Assert.Equal(7, settings.MaxDeliveryAttempts);
        Assert.Equal($"projects/{PubSubTestEnvironment.Project}/topics/orders-dead", settings.DeadLetterTopic);
        Assert.True(settings.ManageEntities);
        Assert.True(settings.EnableMessageOrdering);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ReconnectCap);
        Assert.Equal(0, settings.MaxOutstandingBytes);
    }

    [Fact]
    public async Task SendAsync_EntityManagementDisabledAndNoTopic_ErrorSaysWhatToCreate()
    {
        await using var transport = NewTransport();
        await transport.InitAsync(ComponentSpec.Create(
            "orders-bus", "pubsub.gcp.pubsub", ("projectId", PubSubTestEnvironment.Project), ("endpoint", PubSubTestEnvironment.RequireEndpoint()),
            ("disableEntityManagement", "true")), default);
        var queue = "asya-test-" + Guid.NewGuid().ToString("N")[..12];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await transport.SendAsync(queue, new OutgoingMessage(new byte[] { 1 }), default));

        Assert.Contains("disableEntityManagement", error.Message, StringComparison.Ordinal);
        Assert.Contains(queue, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_QueueNameTooShortForPubSub_ThrowsNamingQueue()
    {
        await using var transport = NewTransport();
        await transport.InitAsync(ComponentSpec.Create(
            "orders-bus", "pubsub.gcp.pubsub", ("projectId", PubSubTestEnvironment.Project), ("endpoint", PubSubTestEnvironment.RequireEndpoint())), default);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await transport.SendAsync("ab", new OutgoingMessage(new byte[] { 1 }), default));

        Assert.Contains("'ab'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MisspelledKeys_WarnWithNearestKnownKey()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders-bus
            spec:
              type: pubsub.gcp.pubsub
              version: v1
              metadata:
              - {"{"}name: projectId, value: {PubSubTestEnvironment.Project}{"}"}
              - {"{"}name: endpoint, value: "{PubSubTestEnvironment.RequireEndpoint()}"{"}"}
              - {"{"}name: ackDedline, value: 30s{"}"}
              - {"{"}name: deadLeterTopic, value: orders-dead{"}"}
            """);
        var logger = new FakeLogger<ComponentLoader>();
        var loader = new ComponentLoader(
            new ComponentRegistry([new GcpTransportFactory()]), new TestServices(), logger, new ComponentLoaderOptions { AppId = "orders" });

        await using var loaded = await loader.LoadAsync([_folder.Path], default);

        var warnings = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'ackDedline' (did you mean 'ackDeadline'?)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'deadLeterTopic' (did you mean 'deadLetterTopic'?)", StringComparison.Ordinal));
        var transport = await loaded.CreateAsync<ITransport>(loaded.Find("orders-bus")!, default);
        await transport.SendAsync("asya-test-" + Guid.NewGuid().ToString("N")[..12], new OutgoingMessage(new byte[] { 1 }), default);
    }

    [BrokerFree]
    [Fact]
    public void AddGcpComponents_RegistersFactoryOnce()
    {
        var services = new ServiceCollection().AddGcpComponents().AddGcpComponents();

        var types = services.Where(d => d.ServiceType == typeof(IComponentFactory)).Select(d => d.ImplementationType).ToList();

        Assert.Equal([typeof(GcpTransportFactory)], types);
    }

    private static GcpPubSubTransport NewTransport() =>
        new(TimeProvider.System, NullLogger<GcpPubSubTransport>.Instance, _ => null);

    private static string NewPrivateKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
