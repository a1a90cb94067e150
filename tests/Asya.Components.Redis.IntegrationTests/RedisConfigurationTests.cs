using Asya.Components.Abstractions;
using Asya.Testing;
using Asya.Testing.Brokers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Redis.IntegrationTests;

public sealed class RedisConfigurationTests : IDisposable
{
    private const string Password = "s3cret-Pa55word";
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [BrokerFree]
    [Fact]
    public async Task TransportInitAsync_UnreachableHost_ErrorNamesComponentAndHostButNotPassword()
    {
        await using var transport = (ITransport)new RedisTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.redis", ("redisHost", "127.0.0.1:1"), ("redisPassword", Password), ("dialTimeout", "1s"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task StateStoreInitAsync_UnreachableHost_ErrorNamesComponentAndHostButNotPassword()
    {
        await using var store = (IStateStore)new RedisStateStoreFactory().Create(new TestServices());
        var spec = ComponentSpec.Create(
            "results", "state.redis", ("redisHost", "127.0.0.1:1"), ("redisPassword", Password), ("dialTimeout", "1s"));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await store.InitAsync(spec, default));

        Assert.Contains("'results'", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("processingTimeout", "soon")]
    [InlineData("processingTimeout", "0")]
    [InlineData("redeliverInterval", "-1s")]
    [InlineData("redisDB", "-1")]
    [InlineData("redisDB", "zero")]
    [InlineData("maxLenApprox", "lots")]
    [InlineData("queueDepth", "0")]
    [InlineData("redisType", "cluster")]
    [InlineData("failover", "true")]
    [InlineData("dialTimeout", "fast")]
    public async Task TransportInitAsync_BadValue_ThrowsNamingComponentKeyAndValue(string key, string value)
    {
        await using var transport = (ITransport)new RedisTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create("orders-bus", "pubsub.redis", ("redisHost", RedisTestEnvironment.RequireEndpoint()), (key, value));

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(async () => await transport.InitAsync(spec, default));

        Assert.Contains("'orders-bus'", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [BrokerFree]
    [Fact]
    public async Task TransportInitAsync_NoRedisHost_ThrowsNamingKey()
    {
        await using var transport = (ITransport)new RedisTransportFactory().Create(new TestServices());

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(ComponentSpec.Create("orders-bus", "pubsub.redis"), default));

        Assert.Contains("redisHost", error.Message, StringComparison.Ordinal);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransportInitAsync_DaprTimeoutsAndPoolKeys_Accepted()
    {
        await using var transport = (ITransport)new RedisTransportFactory().Create(new TestServices());
        var spec = ComponentSpec.Create(
            "orders-bus", "pubsub.redis", ("redisHost", RedisTestEnvironment.RequireEndpoint()),
            ("processingTimeout", "60000"), ("redeliverInterval", "0"), ("dialTimeout", "5s"), ("readTimeout", "-1"),
            ("writeTimeout", "3s"), ("poolSize", "20"), ("redisMaxRetries", "3"), ("concurrency", "5"), ("queueDepth", "50"),
            ("consumerID", "orders"));

        await transport.InitAsync(spec, default);

        Assert.Equal("orders", ((RedisStreamsTransport)transport).ConsumerName);
    }

    [Fact]
    public async Task LoadAsync_MisspelledRedisKeys_WarnWithNearestKnownKey()
    {
        var file = Path.Combine(_folder.Path, "redis.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: orders-bus
            spec:
              type: pubsub.redis
              version: v1
              metadata:
              - {"{"}name: redisHost, value: "{RedisTestEnvironment.RequireEndpoint()}"{"}"}
              - {"{"}name: procesingTimeout, value: 10s{"}"}
              - {"{"}name: redisPasword, value: x{"}"}
              - {"{"}name: consumerID, value: orders{"}"}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: results
            spec:
              type: state.redis
              version: v1
              metadata:
              - {"{"}name: redisHost, value: "{RedisTestEnvironment.RequireEndpoint()}"{"}"}
              - {"{"}name: ttlInSecond, value: "60"{"}"}
              - {"{"}name: keyPrefix, value: none{"}"}
            """);
        var logger = new ListLogger<ComponentLoader>();
        var registry = new ComponentRegistry([new RedisTransportFactory(), new RedisStateStoreFactory()]);
        var loader = new ComponentLoader(registry, new TestServices(), logger, new ComponentLoaderOptions { AppId = "orders" });

        await using var loaded = await loader.LoadAsync([_folder.Path], default);

        var warnings = logger.At(LogLevel.Warning).ToList();
        Assert.Equal(5, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'orders-bus'", StringComparison.Ordinal) && w.Contains("accepted, no effect here: consumerID", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'results'", StringComparison.Ordinal) && w.Contains("accepted, no effect here: keyPrefix", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'procesingTimeout' (did you mean 'processingTimeout'?)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'redisPasword' (did you mean 'redisPassword'?)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("unknown metadata key 'ttlInSecond' (did you mean 'ttlInSeconds'?)", StringComparison.Ordinal));

        // The manifest still makes a working transport.
        var transport = await loaded.CreateAsync<ITransport>(loaded.Find("orders-bus")!, default);
        await transport.SendAsync("asya-test-" + Guid.NewGuid().ToString("N")[..12], new OutgoingMessage(new byte[] { 1 }), default);
    }

    [BrokerFree]
    [Fact]
    public void AddRedisComponents_RegistersBothFactoriesOnce()
    {
        var services = new ServiceCollection().AddRedisComponents().AddRedisComponents();

        var types = services.Where(d => d.ServiceType == typeof(IComponentFactory)).Select(d => d.ImplementationType).ToList();

        Assert.Equal([typeof(RedisTransportFactory), typeof(RedisStateStoreFactory)], types);
    }
}
