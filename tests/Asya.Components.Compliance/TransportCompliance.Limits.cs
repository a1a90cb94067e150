using System.Globalization;
using Asya.Components.Abstractions;
using Xunit;

namespace Asya.Components.Compliance;

/// <summary>What a transport refuses: bodies beyond its limit.</summary>
public abstract partial class TransportCompliance<TFixture>
{
    [SkippableFact]
    public async Task Send_OneByteOverTheLimit_FailsNamingQueueAndLimitAndQueuesNothing()
    {
        Skip.If(Fixture.MessageSizeLimit is null, Fixture.NoMessageSizeLimitReason);
        var limit = Fixture.MessageSizeLimit!.Value;
        await using var transport = await Fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        // Text, so no transport needs to re-encode it (SQS carries binary as base64).
        var body = new byte[limit + 1];
        body.AsSpan().Fill((byte)'a');

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(
            async () => await transport.SendAsync(queue, new OutgoingMessage(body), default));

        Assert.Contains(queue, error.Message, StringComparison.Ordinal);
        Assert.Contains(limit.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromMilliseconds(200)), default));
        await AssertDepthAsync(transport, queue, new QueueDepth(0, 0, 0));
    }
}
