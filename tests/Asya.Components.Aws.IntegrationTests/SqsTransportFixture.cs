using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>Transports on the test emulator; each has its own SDK client, like a process.</summary>
public sealed class SqsTransportFixture : ITransportFixture
{
    private int _created;

    /// <summary>SQS counts visibility in whole seconds.</summary>
    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromSeconds(1);

    /// <summary>256 KiB per message; random bytes travel as base64 (4/3 larger) beside a small attribute.</summary>
    public int MaxBodyBytes => 190 * 1024;

    public int? MessageSizeLimit => SqsTransport.MaxMessageBytes;

    /// <summary>Depth read by another process lags: SQS's queue attributes are approximate counters.</summary>
    public bool DepthLags => true;

    public Task RestartBrokerAsync() => SqsTestEnvironment.Broker.RestartAsync();

    /// <summary>The emulator keeps messages in memory.</summary>
    public bool KeepsMessagesAcrossRestart => false;

    public string NewQueueName() => "asya-test-" + Guid.NewGuid().ToString("N")[..12];

    public Task<ITransport> CreateTransportAsync() => CreateTransportAsync(("messageVisibilityTimeout", "1"));

    /// <summary>A <c>pubsub.aws.snssqs</c> transport with <paramref name="metadata"/> besides the emulator's endpoint and keys.</summary>
    public Task<ITransport> CreateTransportAsync(params (string Key, string Value)[] metadata) =>
        CreateTransportAsync(SnsSqsTransportFactory.Type, metadata);

    public async Task<ITransport> CreateTransportAsync(string type, params (string Key, string Value)[] metadata)
    {
        IComponentFactory factory = type == SnsSqsTransportFactory.Type ? new SnsSqsTransportFactory() : new SqsBindingTransportFactory();
        var transport = (ITransport)factory.Create(new TestServices());
        var name = $"queues-{Interlocked.Increment(ref _created)}";
        await transport.InitAsync(ComponentSpec.Create(name, type, [.. SqsTestEnvironment.Connection(), .. metadata]), default);
        return transport;
    }
}
