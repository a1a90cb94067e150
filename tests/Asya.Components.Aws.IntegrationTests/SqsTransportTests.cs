using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws.IntegrationTests;

/// <summary>What the compliance suite does not cover: SQS wire format, long delays, dead-lettering, limits.</summary>
public sealed class SqsTransportTests(SqsTransportFixture fixture) : IClassFixture<SqsTransportFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly ReceiveOptions OneMessage = new(1, Patience, TimeSpan.FromMinutes(2));

    [Fact]
    public async Task SendAsync_TextBodyAndHeaders_ArePlainBodyAndStringAttributesOnSqs()
    {
        await using var transport = await fixture.CreateTransportAsync();
        using var raw = SqsTestEnvironment.RawClient();
        var queue = await NewQueueAsync(transport);
        const string Envelope = """{"id":"e1","route":{"prev":[],"curr":"echo","next":[]},"payload":{"text":"héllo"}}""";

        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes(Envelope)) { Headers = new Dictionary<string, string> { ["traceparent"] = "00-abc-01" } }, default);
        var url = (await raw.GetQueueUrlAsync(queue)).QueueUrl;
        var received = await raw.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 5, MessageAttributeNames = ["All"] });

        var message = Assert.Single(received.Messages);
        Assert.Equal(Envelope, message.Body);
        Assert.Equal("00-abc-01", Assert.Single(message.MessageAttributes).Value.StringValue);
    }

    [Fact]
    public async Task ReceiveAsync_MessageFromAnotherProducer_AttributesBecomeHeaders()
    {
        await using var transport = await fixture.CreateTransportAsync();
        using var raw = SqsTestEnvironment.RawClient();
        var queue = await NewQueueAsync(transport);
        var url = (await raw.GetQueueUrlAsync(queue)).QueueUrl;

        await raw.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "plain text",
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["source"] = new() { DataType = "String", StringValue = "lambda" },
                ["attempt"] = new() { DataType = "Number", StringValue = "3" },
            },
        });
        var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));

        Assert.Equal("plain text", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal("lambda", message.Headers["source"]);
        Assert.Equal("3", message.Headers["attempt"]);
        Assert.Equal(1, message.DeliveryCount);
    }

    [Fact]
    public async Task SendAsync_HeadersBeyondSqsAttributeRules_RoundTripPacked()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);
        var headers = Enumerable.Range(0, 12).ToDictionary(i => $"h{i}", i => $"v{i}");
        headers["name with space"] = "x";
        headers["empty"] = string.Empty;
        headers["asya.reserved"] = "mine";

        await transport.SendAsync(queue, new OutgoingMessage(new byte[] { 0, 1, 2 }) { Headers = headers }, default);
        var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));

        Assert.Equal(headers.OrderBy(h => h.Key), message.Headers.OrderBy(h => h.Key));
        Assert.Equal(new byte[] { 0, 1, 2 }, message.Body.ToArray());
    }

    [Fact]
    public async Task ReceiveAsync_LongDelayedMessageSurfacingEarly_IsDeferredForTheRestOfItsDelay()
    {
        await using var transport = await fixture.CreateTransportAsync();
        using var raw = SqsTestEnvironment.RawClient();
        var queue = await NewQueueAsync(transport);
        var url = (await raw.GetQueueUrlAsync(queue)).QueueUrl;
        var delay = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();

        // What SendAsync writes for a delay past 15 minutes, shortened: due later than it becomes visible.
        var due = DateTimeOffset.UtcNow.Add(delay).ToUnixTimeMilliseconds();
        await raw.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "later",
            MessageAttributes = new() { ["asya.not-before"] = new() { DataType = "String", StringValue = due.ToString(CultureInfo.InvariantCulture) } },
        });

        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.FromSeconds(1)), default));
        Assert.Equal(new QueueDepth(0, 0, 1), await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
        var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));

        Assert.True(clock.Elapsed >= delay - TimeSpan.FromMilliseconds(500), $"delivered after {clock.Elapsed}, before its {delay} due time");
        Assert.Equal("later", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(1, message.DeliveryCount);
    }

    [Fact]
    public async Task SendAsync_DelayBeyondFifteenMinutes_IsHeldAsDelayed()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);

        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("tomorrow")) { Delay = TimeSpan.FromHours(20) }, default);

        Assert.Equal(new QueueDepth(0, 0, 1), await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    [Fact]
    public async Task NackAsync_ReceiveLimitReached_SqsRedrivesToTheActorsDeadLetterQueue()
    {
        await using var transport = await fixture.CreateTransportAsync(("messageVisibilityTimeout", "1"), ("sqsDeadLettersQueueName", "dlq"), ("messageRetryLimit", "2"));
        using var raw = SqsTestEnvironment.RawClient();
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("poison")), default);

        for (var expected = 1; expected <= 2; expected++)
        {
            var message = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));
            Assert.Equal(expected, message.DeliveryCount);
            await transport.NackAsync(message, TimeSpan.Zero, default);
        }

        var dead = Assert.Single(await transport.ReceiveAsync(queue + "-dlq", OneMessage, default));
        Assert.Equal("poison", Encoding.UTF8.GetString(dead.Body.Span));
        Assert.Empty(await transport.ReceiveAsync(queue, new ReceiveOptions(1, TimeSpan.Zero), default));
        var attributes = await raw.GetQueueAttributesAsync((await raw.GetQueueUrlAsync(queue)).QueueUrl, ["RedrivePolicy"]);
        Assert.Contains(queue + "-dlq", attributes.Attributes["RedrivePolicy"], StringComparison.Ordinal);
        Assert.Contains("\"maxReceiveCount\":\"2\"", attributes.Attributes["RedrivePolicy"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NackAsync_DelayedAtReceiveLimit_DeadLettersTheMessage()
    {
        await using var transport = await fixture.CreateTransportAsync(("sqsDeadLettersQueueName", "dlq"), ("messageRetryLimit", "2"));
        var queue = await NewQueueAsync(transport);
        await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("retried")), default);

        var first = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));
        await transport.NackAsync(first, TimeSpan.FromSeconds(1), default);
        var second = Assert.Single(await transport.ReceiveAsync(queue, OneMessage, default));
        Assert.Equal(2, second.DeliveryCount);
        await transport.NackAsync(second, TimeSpan.FromSeconds(1), default);

        var dead = Assert.Single(await transport.ReceiveAsync(queue + "-dlq", OneMessage, default));
        Assert.Equal("retried", Encoding.UTF8.GetString(dead.Body.Span));
        Assert.Equal(new QueueDepth(0, 0, 0), await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    [Fact]
    public async Task GetQueueDepthsAsync_SeveralQueues_AnswersEveryQueue()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var busy = await NewQueueAsync(transport);
        var idle = await NewQueueAsync(transport);
        var unknown = fixture.NewQueueName();
        await transport.SendAsync(busy, new OutgoingMessage(Encoding.UTF8.GetBytes("a")), default);
        await transport.SendAsync(busy, new OutgoingMessage(Encoding.UTF8.GetBytes("b")), default);

        var depths = await ((IQueueDepthSource)transport).GetQueueDepthsAsync([busy, idle, unknown], default);

        Assert.Equal(new QueueDepth(2, 0, 0), depths[busy]);
        Assert.Equal(default, depths[idle]);
        Assert.Equal(default, depths[unknown]);
    }

    [Fact]
    public async Task SendAsync_BodyOverSqsLimit_ThrowsNamingQueueAndLimit()
    {
        await using var transport = await fixture.CreateTransportAsync();
        var queue = await NewQueueAsync(transport);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await transport.SendAsync(queue, new OutgoingMessage(new byte[200 * 1024]), default));

        Assert.Contains(queue, error.Message, StringComparison.Ordinal);
        Assert.Contains("256 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_MissingQueueWithEntityManagementDisabled_FailsNamingTheQueue()
    {
        await using var transport = await fixture.CreateTransportAsync(("disableEntityManagement", "true"));
        var queue = fixture.NewQueueName();

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await transport.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("x")), default));

        Assert.Contains(queue, error.Message, StringComparison.Ordinal);
        Assert.Equal(default, await ((IQueueDepthSource)transport).GetQueueDepthAsync(queue, default));
    }

    [Fact]
    public async Task BindingTransport_SendReceiveAck_WorksOnTheSameQueues()
    {
        await using var binding = await fixture.CreateTransportAsync(SqsBindingTransportFactory.Type, ("queueName", "ignored"), ("waitTimeSeconds", "1"));
        await using var pubsub = await fixture.CreateTransportAsync();
        var queue = fixture.NewQueueName();

        await binding.SendAsync(queue, new OutgoingMessage(Encoding.UTF8.GetBytes("from the binding")), default);
        var message = Assert.Single(await pubsub.ReceiveAsync(queue, OneMessage, default));
        await pubsub.AckAsync(message, default);

        Assert.Equal("from the binding", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(new QueueDepth(0, 0, 0), await ((IQueueDepthSource)binding).GetQueueDepthAsync(queue, default));
    }

    private async Task<string> NewQueueAsync(ITransport transport)
    {
        var queue = fixture.NewQueueName();
        await ((IQueueAdmin)transport).EnsureQueueAsync(new QueueSpec(queue), default);
        return queue;
    }
}
