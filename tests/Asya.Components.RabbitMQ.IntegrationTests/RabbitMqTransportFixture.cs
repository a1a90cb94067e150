using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>Transports on the test RabbitMQ, each with its own connection, like a process.</summary>
public sealed class RabbitMqTransportFixture : ITransportFixture, IAsyncDisposable
{
    private readonly List<ITransport> _hung = [];
    private int _created;

    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>RabbitMQ.Client's MaxInboundMessageBodySize, which the transport enforces at send.</summary>
    public int? MessageSizeLimit => (int)global::RabbitMQ.Client.ConnectionFactory.DefaultMaxInboundMessageBodySize;

    /// <summary>Depth read by another process lags: the management API's statistics refresh every collect_statistics_interval.</summary>
    public bool DepthLags => true;

    /// <summary>The scaler reads depths through the management API: over AMQP another process's messages are invisible.</summary>
    public Task<ITransport> CreateDepthReaderAsync() =>
        CreateTransportAsync(("visibilityTimeout", "200ms"), ("managementUrl", RabbitMqTestEnvironment.ManagementUrl()));

    public Task RestartBrokerAsync() => RabbitMqTestEnvironment.Broker.RestartAsync();

    public string NewQueueName() => "asya-test-" + Guid.NewGuid().ToString("N")[..12];

    public Task<ITransport> CreateTransportAsync() => CreateTransportAsync(("visibilityTimeout", "200ms"));

    /// <summary>A transport with <paramref name="metadata"/> besides <c>connectionString</c>.</summary>
    public Task<ITransport> CreateTransportAsync(params (string Key, string Value)[] metadata) => CreateTransportAsync(new TestServices(), metadata);

    /// <summary>A transport with <paramref name="metadata"/> besides <c>connectionString</c>, created with <paramref name="services"/>.</summary>
    public async Task<ITransport> CreateTransportAsync(IServiceProvider services, params (string Key, string Value)[] metadata)
    {
        var transport = (ITransport)new RabbitMqTransportFactory().Create(services);
        var name = $"queues-{Interlocked.Increment(ref _created)}";
        await transport.InitAsync(
            ComponentSpec.Create(name, "pubsub.rabbitmq", [("connectionString", RabbitMqTestEnvironment.RequireEndpoint()), .. metadata]), default);
        return transport;
    }

    /// <summary>
    /// RabbitMQ returns a dead process's messages as soon as its connection closes, with no visibility timeout to wait
    /// for; the suite's crash is therefore a process that hangs: it stops consuming but keeps its connection, so what it
    /// holds comes back when its leases run out (the transport's in-process visibility timeout). A real crash, with
    /// immediate redelivery, is covered in <see cref="RabbitMqTransportTests"/>.
    /// </summary>
    public async Task<ITransport> CrashAndRestartAsync(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await ((RabbitMqTransport)transport).StopConsumingAsync();
        lock (_hung)
        {
            _hung.Add(transport);
        }

        return await CreateTransportAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _hung)
        {
            await transport.DisposeAsync();
        }
    }
}
