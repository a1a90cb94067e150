using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.Components.RabbitMQ.IntegrationTests;

public sealed class RabbitMqConfigurationTests(RabbitMqTransportFixture fixture) : IClassFixture<RabbitMqTransportFixture>, IDisposable
{
    private const string Password = "s3cret-Pa55word";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [BrokerFree]
    [Fact]
    public async Task InitAsync_UnreachableBroker_ErrorNamesComponentAndEndpointButNotPassword()
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create("orders-bus", "pubsub.rabbitmq", ("connectionString", $"amqp://orders:{Password}@127.0.0.1:1/"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("amqp://orders:***@127.0.0.1:1/", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_WrongPassword_ErrorSaysAccessRefusedWithoutPassword()
    {
        await using var transport = NewTransport();
        var broker = new Uri(RabbitMqTestEnvironment.RequireEndpoint());
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.rabbitmq", ("hostname", broker.Host), ("port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("username", "guest"), ("password", Password));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACCESS_REFUSED", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [BrokerFree]
    [Theory]
    [InlineData("http://guest:" + Password + "@localhost:5672/")]
    [InlineData("amqp://guest:" + Password + "@/")]
    [InlineData("not a uri " + Password)]
    public async Task InitAsync_BadConnectionString_ErrorNamesKeyAndMasksPassword(string connectionString)
    {
        await using var transport = NewTransport();

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(
            ComponentSpec.Create("orders-bus", "pubsub.rabbitmq", ("connectionString", connectionString)), default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("connectionString", error.Message, StringComparison.Ordinal);
        if (connectionString.Contains('@', StringComparison.Ordinal))
        {
            Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("prefetchCount", "-1")]
    [InlineData("prefetchCount", "70000")]
    [InlineData("deliveryMode", "3")]
    [InlineData("deliveryMode", "persistent")]
    [InlineData("maxLen", "lots")]
    [InlineData("maxLenBytes", "-5")]
    [InlineData("ttlInSeconds", "soon")]
    [InlineData("heartBeat", "0")]
    [InlineData("reconnectWaitSeconds", "soon")]
    [InlineData("protocol", "http")]
    [InlineData("protocol", "amqps")]
    [InlineData("visibilityTimeout", "soon")]
    [InlineData("managementUrl", "ftp://example")]
    public async Task InitAsync_BadValue_ThrowsNamingComponentKeyAndValue(string key, string value)
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create("orders-bus", "pubsub.rabbitmq", ("connectionString", RabbitMqTestEnvironment.RequireEndpoint()), (key, value));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("caCert")]
    [InlineData("clientCert")]
    [InlineData("clientKey")]
    public async Task InitAsync_TlsMaterialWithoutTls_ErrorNamesKeyAndHidesValue(string key)
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.rabbitmq", ("connectionString", RabbitMqTestEnvironment.RequireEndpoint()), (key, "-----BEGIN SECRET-----"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN SECRET", error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task InitAsync_EnableTlsWithUnreadableCaCert_ErrorNamesKeyBeforeConnecting()
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.rabbitmq", ("hostname", "127.0.0.1"), ("enableTLS", "true"), ("caCert", "not a certificate"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'caCert'", error.Message, StringComparison.Ordinal);
        Assert.Contains("PEM", error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task InitAsync_ClientCertWithoutKey_ErrorSaysTheyGoTogether()
    {
        await using var transport = NewTransport();
        var spec = ComponentSpec.Create("orders-bus", "pubsub.rabbitmq", ("connectionString", "amqps://guest:guest@127.0.0.1/"), ("clientCert", "x"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("clientKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_SplitHostKeys_ConnectsAndShowsMaskedEndpoint()
    {
        var broker = new Uri(RabbitMqTestEnvironment.RequireEndpoint());
        var user = broker.UserInfo.Split(':');
        await using var transport = NewTransport();

        await transport.InitAsync(ComponentSpec.Create(
            "orders-bus", "pubsub.rabbitmq", ("host", broker.Host), ("port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("username", user[0]), ("password", user[1]), ("vhost", "/")), default);

        Assert.Equal($"amqp://{user[0]}:***@{broker.Host}:{broker.Port}/", transport.Settings.Endpoint);
    }

    [Fact]
    public async Task InitAsync_DaprDefaultsAndOverrides_MappedToSettings()
    {
        await using var defaults = await fixture.CreateTransportAsync();
        await using var custom = await fixture.CreateTransportAsync(
            ("durable", "false"), ("deliveryMode", "2"), ("prefetchCount", "0"), ("publisherConfirm", "off"), ("reconnectWaitSeconds", "5s"),
            ("ttlInSeconds", "60"), ("maxLen", "10"), ("maxLenBytes", "1048576"));
        await using var transient = await fixture.CreateTransportAsync(("deliveryMode", "1"), ("reconnectWaitSeconds", "2"), ("prefetchCount", "7"));

        var d = ((RabbitMqTransport)defaults).Settings;
        var c = ((RabbitMqTransport)custom).Settings;
        var t = ((RabbitMqTransport)transient).Settings;

        Assert.True(d.Durable && d.Persistent && d.PublisherConfirm);
        Assert.Equal(100, d.Prefetch);
        Assert.Equal(TimeSpan.FromSeconds(3), d.ReconnectWait);
        Assert.Null(d.MaxLength);
        Assert.False(c.Durable);
        Assert.True(c.Persistent);
        Assert.False(c.PublisherConfirm);
        Assert.Equal(100, c.Prefetch);
        Assert.Equal(TimeSpan.FromSeconds(5), c.ReconnectWait);
        Assert.Equal(60_000, c.MessageTtlMilliseconds);
        Assert.Equal(10, c.MaxLength);
        Assert.Equal(1_048_576, c.MaxLengthBytes);
        Assert.False(t.Persistent);
        Assert.Equal(7, t.Prefetch);
        Assert.Equal(TimeSpan.FromSeconds(2), t.ReconnectWait);
    }

    [Fact]
    public async Task EnsureQueue_QueueKeys_BecomeQueueArgumentsAndDifferingRedeclareIsTolerated()
    {
        await using var first = await fixture.CreateTransportAsync(("maxLen", "10"), ("maxLenBytes", "1048576"), ("ttlInSeconds", "60"));
        await using var second = await fixture.CreateTransportAsync(("maxLen", "20"));
        var queue = fixture.NewQueueName();

        await ((IQueueAdmin)first).EnsureQueueAsync(new QueueSpec(queue), default);
        await ((IQueueAdmin)second).EnsureQueueAsync(new QueueSpec(queue), default);
        await second.SendAsync(queue, new OutgoingMessage(new byte[] { 1 }), default);

        var declared = await ManagementApi.QueueAsync(queue);
        Assert.NotNull(declared);
        Assert.True(declared.Value.GetProperty("durable").GetBoolean());
        Assert.False(declared.Value.GetProperty("auto_delete").GetBoolean());
        var arguments = declared.Value.GetProperty("arguments");
        Assert.Equal(10, arguments.GetProperty("x-max-length").GetInt64());
        Assert.Equal(1_048_576, arguments.GetProperty("x-max-length-bytes").GetInt64());
        Assert.Equal(60_000, arguments.GetProperty("x-message-ttl").GetInt64());
        Assert.Single(await second.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(15)), default));
    }

    [Fact]
    public async Task Send_QueueMissing_ErrorNamesQueueInsteadOfLosingTheMessage()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await transport.SendAsync(queue, new OutgoingMessage(new byte[] { 1 }), default));

        Assert.Contains(queue, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_ReconnectWaitZeroOfDaprsExamples_IsAcceptedAndLeavesTheDefault()
    {
        // Dapr's RabbitMQ examples write reconnectWait: 0; daprd decodes only reconnectWaitSeconds, so it means nothing.
        await using var transport = await fixture.CreateTransportAsync(("reconnectWait", "0"));

        Assert.Equal(TimeSpan.FromSeconds(3), ((RabbitMqTransport)transport).Settings.ReconnectWait);
    }

    [Fact]
    public async Task LoadAsync_DaprTopologyKeys_AcceptedWithOneNoEffectWarning()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.rabbitmq
              version: v1
              metadata:
              - name: connectionString
                value: "{RabbitMqTestEnvironment.RequireEndpoint()}"
              - name: exchangeKind
                value: topic
              - name: deletedWhenUnused
                value: "false"
              - name: concurrencyMode
                value: single
              - name: consumerID
                value: orders
              - name: reconnectWait
                value: 0
            """);
        var logs = new ListLoggerFactory();
        var loader = new ComponentLoader(
            new ComponentRegistry([new RabbitMqTransportFactory()]), new TestServices(logs), new Logger<ComponentLoader>(logs),
            new ComponentLoaderOptions { AppId = "orders" });

        await using var loaded = await loader.LoadAsync([_folder.Path], default);

        Assert.Contains(
            "accepted, no effect here: exchangeKind, deletedWhenUnused, concurrencyMode, consumerID, reconnectWait",
            Assert.Single(logs.Lines(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MisspelledKeys_WarnWithNearestKnownKey()
    {
        var file = Path.Combine(_folder.Path, "pubsub.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.rabbitmq
              version: v1
              metadata:
              - name: connectionString
                value: "{RabbitMqTestEnvironment.RequireEndpoint()}"
              - name: publisherConfrim
                value: "true"
              - name: prefetchCont
                value: "10"
              - name: durable
                value: "true"
            """);
        var logs = new ListLoggerFactory();
        var registry = new ComponentRegistry([new RabbitMqTransportFactory()]);
        var loader = new ComponentLoader(registry, new TestServices(logs), new Logger<ComponentLoader>(logs), new ComponentLoaderOptions { AppId = "orders" });

        await using var loaded = await loader.LoadAsync([_folder.Path], default);

        var warnings = logs.Lines(LogLevel.Warning);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'publisherConfrim' (did you mean 'publisherConfirm'?)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'prefetchCont' (did you mean 'prefetchCount'?)", StringComparison.Ordinal));
        var transport = await loaded.CreateAsync<ITransport>(loaded.Find("pubsub")!, default);
        Assert.IsType<RabbitMqTransport>(transport);
    }

    [BrokerFree]
    [Fact]
    public void AddRabbitMqComponents_RegistersFactoryOnce()
    {
        var services = new ServiceCollection().AddRabbitMqComponents().AddRabbitMqComponents();

        var types = services.Where(d => d.ServiceType == typeof(IComponentFactory)).Select(d => d.ImplementationType).ToList();

        Assert.Equal([typeof(RabbitMqTransportFactory)], types);
    }

    private static RabbitMqTransport NewTransport() => (RabbitMqTransport)new RabbitMqTransportFactory().Create(new TestServices());
}
