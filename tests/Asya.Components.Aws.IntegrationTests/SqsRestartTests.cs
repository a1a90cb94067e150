using System.Text;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorRestarts
{
    public const string Name = "SQS emulator restarts";
}

/// <summary>
/// The emulator keeps queues and messages in memory, so a restart loses both (real SQS does not restart). What the
/// transport must do is carry on: create its queues again and deliver what is sent afterwards, and never report a
/// send as done while the emulator is down.
/// </summary>
[Collection(EmulatorRestarts.Name)]
public sealed class SqsRestartTests(SqsTransportFixture fixture) : IClassFixture<SqsTransportFixture>
{
    private static readonly ReceiveOptions OneMessage = new(1, TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(2));

    [Fact]
    public async Task SendAsync_AfterEmulatorRestart_RecreatesQueueAndDelivers()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        await transport.SendAsync(queue, Text("before"), default);

        await SqsTestEnvironment.Broker.RestartAsync();

        await transport.SendAsync(queue, Text("after"), default);
        var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));
        Assert.Equal("after", Encoding.UTF8.GetString(message.Body.Span));
        await transport.AckAsync(message, default);
        Assert.Equal(new QueueDepth(0, 0, 0), await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    [Fact]
    public async Task ReceiveAsync_AfterEmulatorRestart_RecreatesQueueAndWaits()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);

        await SqsTestEnvironment.Broker.RestartAsync();

        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
        using var raw = SqsTestEnvironment.RawClient();
        Assert.NotNull((await raw.GetQueueUrlAsync(queue)).QueueUrl);
    }

    [Fact]
    public async Task SendAsync_WhileEmulatorDown_FailsNamingEndpointAndWorksOnceItIsBack()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);

        await SqsTestEnvironment.Broker.StopAsync();
        try
        {
            var error = await Assert.ThrowsAsync<SqsTransportException>(async () => await transport.SendAsync(queue, Text("lost?"), default));
            Assert.Contains(queue, error.Message, StringComparison.Ordinal);
            Assert.Contains(SqsTestEnvironment.RequireEndpoint(), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await SqsTestEnvironment.Broker.StartAsync();
        }

        await transport.SendAsync(queue, Text("back"), default);
        var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));
        Assert.Equal("back", Encoding.UTF8.GetString(message.Body.Span));
    }

    private static OutgoingMessage Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
