using System.Text;
using Asya.Components.Abstractions;

namespace Asya.Components.Gcp.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorRestartGroup
{
    public const string Name = "emulator restart";
}

/// <summary>Restarts the shared emulator, so it runs alone, after the parallel classes.</summary>
[Collection(EmulatorRestartGroup.Name)]
public sealed class PubSubRestartTests(PubSubTransportFixture fixture) : IClassFixture<PubSubTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SendAsync_AfterEmulatorRestart_RecreatesTopicAndSubscriptionAndDelivers()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport, fixture);
        await transport.SendAsync(queue, Message("before"), default);
        await transport.AckAsync(await ReceiveOneAsync(transport, queue), default);

        // The emulator keeps everything in memory: after a restart the topic, the subscription and any message are gone.
        await PubSubTestEnvironment.Broker.RestartAsync();
        await transport.SendAsync(queue, Message("after"), default);
        var message = await ReceiveOneAsync(transport, queue);

        Assert.Equal("after", Text(message));
        await transport.AckAsync(message, default);
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(10, TimeSpan.FromMilliseconds(300)), default));
    }

    private static async Task<string> NewQueueAsync(ITransport transport, PubSubTransportFixture fixture)
    {
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        return queue;
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string Text(TransportMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    private static async Task<TransportMessage> ReceiveOneAsync(ITransport transport, string queue) =>
        Assert.Single(await transport.ReceiveAsync(queue, new ReceiveOptions(1, Patience, TimeSpan.FromMinutes(2)), default));
}
