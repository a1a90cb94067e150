using Asya.Components.Abstractions;
using Asya.Components.Compliance;

namespace Asya.Components.Gcp.IntegrationTests;

/// <summary>
/// Transports on the test emulator, each with its own channel and streams, like a process. Subscriptions get a
/// dead-letter policy, so Pub/Sub counts deliveries across processes (the crash cases need that).
/// </summary>
public sealed class PubSubTransportFixture : ITransportFixture
{
    private int _created;

    /// <summary>Pub/Sub ack deadlines have whole seconds.</summary>
    public TimeSpan VisibilityTimeout { get; } = TimeSpan.FromSeconds(1);

    public int? MessageSizeLimit => GcpPubSubTransport.MaxMessageBytes;

    /// <summary>See components/Asya.Components.Gcp/README.md: depth is what this process knows.</summary>
    public string? SharedDepthUnsupportedReason =>
        "Pub/Sub has no backlog API (the emulator no Cloud Monitoring metric), and with a dead-letter policy depth is not peeked: it is what this process knows";

    /// <summary>Without a dead-letter policy the transport peeks, so it sees the messages the server holds for anyone.</summary>
    public Task<ITransport> CreateDepthReaderAsync() => CreateTransportAsync(("ackDeadline", "1s"));

    public Task RestartBrokerAsync() => PubSubTestEnvironment.Broker.RestartAsync();

    /// <summary>The emulator keeps messages in memory.</summary>
    public bool KeepsMessagesAcrossRestart => false;

    public string NewQueueName() => "asya-test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Replicas sharing a queue, as the README advises: a small receive buffer. With the default of 1000, whichever
    /// consumer polls first after a quick burst of sends holds all of it (which is what the setting asks for).
    /// </summary>
    public Task<ITransport> CreateTransportAsync() => CreateTransportAsync(
        ("ackDeadline", "1s"), ("deadLetterTopic", "asya-test-dead-letters"), ("maxDeliveryAttempts", "100"), ("maxOutstandingMessages", "10"));

    /// <summary>A transport with <paramref name="metadata"/> besides <c>projectId</c> and <c>endpoint</c>.</summary>
    public async Task<ITransport> CreateTransportAsync(params (string Key, string Value)[] metadata)
    {
        var transport = (ITransport)new GcpTransportFactory().Create(new TestServices());
        var name = $"queues-{Interlocked.Increment(ref _created)}";
        await transport.InitAsync(
            ComponentSpec.Create(name, "pubsub.gcp.pubsub", [("projectId", PubSubTestEnvironment.Project), ("endpoint", PubSubTestEnvironment.RequireEndpoint()), .. metadata]),
            default);
        return transport;
    }
}
