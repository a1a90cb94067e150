using Asya.Components.Abstractions;
using Asya.Components.Compliance;
using StackExchange.Redis;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>Transports on the test Redis; each has its own connection and consumer name, like a process.</summary>
public sealed class RedisTransportFixture : ITransportFixture, IAsyncDisposable
{
    private ConnectionMultiplexer? _admin;
    private int _created;

    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromMilliseconds(200);

    public string NoMessageSizeLimitReason => "Redis takes values up to 512 MB (proto-max-bulk-len); a case that large is too slow for the suite";

    public Task RestartBrokerAsync() => RedisTestEnvironment.Broker.RestartAsync();

    public string NewQueueName() => "asya-test-" + Guid.NewGuid().ToString("N")[..12];

    public Task<ITransport> CreateTransportAsync() => CreateTransportAsync(("processingTimeout", "200ms"));

    /// <summary>A transport with <paramref name="metadata"/> besides <c>redisHost</c>.</summary>
    public async Task<ITransport> CreateTransportAsync(params (string Key, string Value)[] metadata)
    {
        var transport = (ITransport)new RedisTransportFactory().Create(new TestServices());
        var name = $"queues-{Interlocked.Increment(ref _created)}";
        await transport.InitAsync(ComponentSpec.Create(name, "pubsub.redis", [("redisHost", RedisTestEnvironment.RequireEndpoint()), .. metadata]), default);
        return transport;
    }

    /// <summary>A plain client on the same server, for looking at the keys the transport writes.</summary>
    public async Task<IDatabase> AdminAsync()
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync(RedisTestEnvironment.RequireEndpoint() + ",allowAdmin=true");
        return _admin.GetDatabase();
    }

    /// <summary>A pub/sub client on the same server, for watching the channels the transport publishes on.</summary>
    public async Task<ISubscriber> SubscriberAsync()
    {
        await AdminAsync();
        return _admin!.GetSubscriber();
    }

    /// <summary>Empties the server's script cache, as a restart does.</summary>
    public async Task FlushScriptsAsync()
    {
        await AdminAsync();
        await _admin!.GetServer(_admin.GetEndPoints()[0]).ScriptFlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
    }
}
