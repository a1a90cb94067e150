using System.Text;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Components.InMemory.Tests;

public sealed class InMemoryTransportTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryBroker _broker = new();

    [Fact]
    public async Task Receive_LeaseExpires_VisibleExactlyThen()
    {
        await using var transport = await CreateAsync();
        await transport.SendAsync("q", Message("x"), default);
        var options = new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Single(await transport.ReceiveAsync("q", options, default));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await transport.ReceiveAsync("q", options, default));
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = Assert.Single(await transport.ReceiveAsync("q", options, default));

        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Ack_AfterLeaseExpiredAndReclaimed_LeavesMessageToNewHolder()
    {
        await using var transport = await CreateAsync();
        await transport.SendAsync("q", Message("x"), default);
        var options = new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var stale = Assert.Single(await transport.ReceiveAsync("q", options, default));
        _time.Advance(TimeSpan.FromSeconds(11));
        var current = Assert.Single(await transport.ReceiveAsync("q", options, default));

        await transport.AckAsync(stale, default);
        await transport.NackAsync(stale, TimeSpan.Zero, default);

        Assert.Equal(new QueueDepth(0, 1, 0), await ((IQueueDepthSource)transport).GetQueueDepthAsync("q", default));
        await transport.AckAsync(current, default);
        Assert.Equal(default, await ((IQueueDepthSource)transport).GetQueueDepthAsync("q", default));
    }

    [Fact]
    public async Task Receive_WaitingForDelayedMessage_WakesWhenItBecomesVisible()
    {
        await using var transport = await CreateAsync();
        await transport.SendAsync("q", Message("x") with { Delay = TimeSpan.FromSeconds(30) }, default);

        var receiving = transport.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.FromMinutes(5)), default).AsTask();
        Assert.False(receiving.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Single(await receiving.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ExtendLease_PastOriginalTimeout_KeepsMessageHidden()
    {
        await using var transport = await CreateAsync();
        await transport.SendAsync("q", Message("x"), default);
        var options = new ReceiveOptions(1, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var message = Assert.Single(await transport.ReceiveAsync("q", options, default));

        _time.Advance(TimeSpan.FromSeconds(5));
        await ((ILeaseExtender)transport).ExtendLeaseAsync(message, TimeSpan.FromSeconds(20), default);
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(await transport.ReceiveAsync("q", options, default));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(await transport.ReceiveAsync("q", options, default));
    }

    [Fact]
    public async Task Transports_SameBroker_ShareQueues()
    {
        await using var sender = await CreateAsync();
        await using var receiver = await CreateAsync();

        await sender.SendAsync("q", Message("x"), default);

        Assert.Single(await receiver.ReceiveAsync("q", new ReceiveOptions(1, TimeSpan.Zero), default));
    }

    [Theory]
    [InlineData("-1s")]
    [InlineData("0")]
    [InlineData("soon")]
    public async Task InitAsync_BadVisibilityTimeout_ThrowsNamingKeyAndValue(string value)
    {
        await using var transport = new InMemoryTransport(_broker, _time);

        var error = await Assert.ThrowsAsync<ComponentConfigurationException>(
            async () => await transport.InitAsync(ComponentSpec.Create("mem", "pubsub.in-memory", ("visibilityTimeout", value)), default));

        Assert.Contains("'mem'", error.Message, StringComparison.Ordinal);
        Assert.Contains("visibilityTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static OutgoingMessage Message(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<ITransport> CreateAsync()
    {
        var transport = new InMemoryTransport(_broker, _time);
        await transport.InitAsync(ComponentSpec.Create("mem", "pubsub.in-memory"), default);
        return transport;
    }
}
