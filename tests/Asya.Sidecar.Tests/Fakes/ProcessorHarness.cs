using System.Diagnostics.Metrics;
using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>A <see cref="MessageProcessor"/> on a test transport, a fake runtime and a fake clock.</summary>
internal sealed class ProcessorHarness : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <param name="gatewayTimeout">When set, the processor reports to gateways and checks pre-flight, with this HTTP timeout.</param>
    /// <param name="gatewayUrl">The sidecar's default gateway (<c>--gateway-url</c>); with <paramref name="gatewayTimeout"/> only.</param>
    public ProcessorHarness(
        string actor = "a", ResiliencySettings? resiliency = null, int maxDeliveries = 10, TimeSpan? runtimeReadyTimeout = null,
        TimeSpan? gatewayTimeout = null, int gatewayQueueSize = 8192, string? gatewayUrl = null)
    {
        Options = new SidecarOptions
        {
            Actor = actor,
            Namespace = "t",
            MaxDeliveries = maxDeliveries,
            RuntimeReadyTimeout = runtimeReadyTimeout ?? TimeSpan.FromSeconds(5),
            GatewayTimeout = gatewayTimeout ?? TimeSpan.FromSeconds(1),
            GatewayQueueSize = gatewayQueueSize,
            GatewayUrl = gatewayUrl,
        };
        Metrics = new SidecarMetrics(_services.GetRequiredService<IMeterFactory>(), actor, "test");
        var sender = new EnvelopeSender(Options, Transport, Metrics, Time);
        if (gatewayTimeout is not null)
        {
            Gateway = new GatewayParts(Options, Metrics, Time);
        }

        Processor = new MessageProcessor(
            Options,
            new Router(actor, Options.Sink, Options.Sump),
            new ResiliencyDecider(resiliency ?? ResiliencySettings.None, new Random(7)),
            sender,
            Runtime,
            Runtime,
            Metrics,
            Time,
            NullLogger<MessageProcessor>.Instance,
            Gateway?.Reporter,
            Gateway?.PreFlight);
    }

    /// <summary>The gateway client side, when the harness was made with a gateway timeout; its sender is running.</summary>
    public GatewayParts? Gateway { get; }

    public SidecarOptions Options { get; }

    public TestTransport Transport { get; } = new();

    public FakeRuntime Runtime { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public SidecarMetrics Metrics { get; }

    public MessageProcessor Processor { get; }

    public Task<DeliveryResult> HandleAsync(Envelope envelope, int deliveryCount = 1) => HandleAsync(envelope.ToUtf8Bytes(), deliveryCount);

    public Task<DeliveryResult> HandleAsync(byte[] body, int deliveryCount = 1)
    {
        var message = new TestMessage { Id = "m1", Queue = Options.OwnQueue, Body = body, DeliveryCount = deliveryCount };
        return Processor.HandleAsync(message, CancellationToken.None);
    }

    public Envelope Single(string actor)
    {
        var sent = Transport.SentTo(Options.QueueOf(actor));
        Assert.True(sent.Count == 1, $"expected one envelope on {actor}, got {sent.Count}; sent to: {string.Join(", ", Transport.Sent.Select(s => s.Queue))}");
        return Envelopes.Parse(sent[0].Body);
    }

    public void Dispose()
    {
        Gateway?.Dispose();
        _services.Dispose();
    }
}
