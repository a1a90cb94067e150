using System.Text;
using Asya.Hosting.Sse;

namespace Asya.Hosting.Tests.Sse;

public sealed class SseReaderTests
{
    private static async Task<List<ServerSentEvent>> ReadAsync(string text, int maxEventSize = SseReader.MaxEventSize)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var events = new List<ServerSentEvent>();
        await foreach (var e in SseReader.ReadAsync(stream, CancellationToken.None, maxEventSize))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public async Task ReadAsync_MultiLineData_JoinedWithNewline()
    {
        var events = await ReadAsync("event: downstream\ndata: {\"a\":\ndata: 1}\n\nevent: done\ndata: {}\n\n");
        Assert.Equal(2, events.Count);
        Assert.Equal("downstream", events[0].Event);
        Assert.Equal("{\"a\":\n1}", events[0].Data);
        Assert.Equal("done", events[1].Event);
    }

    [Fact]
    public async Task ReadAsync_CommentsAndUnknownFields_Ignored()
    {
        var events = await ReadAsync(": keepalive\nid: 7\nevent: upstream\ndata: {\"payload\":1}\n\n");
        Assert.Single(events);
        Assert.Equal("upstream", events[0].Event);
    }

    [Fact]
    public async Task ReadAsync_CrLfAndNoTrailingBlank_LastEventDelivered()
    {
        var events = await ReadAsync("event: error\r\ndata: {\"error\":\"processing_error\"}");
        Assert.Single(events);
        Assert.Equal("error", events[0].Event);
    }

    [Fact]
    public async Task ReadAsync_LoneCarriageReturnsAndEmptyDataLine_Parsed()
    {
        var events = await ReadAsync("event: downstream\rdata: a\rdata:\r\rdata: b\r\n\r\n");
        Assert.Equal(2, events.Count);
        Assert.Equal("a\n", events[0].Data);
        Assert.Equal("message", events[1].Event);
        Assert.Equal("b", events[1].Data);
    }

    [Fact]
    public async Task ReadAsync_EventAtLimit_Delivered()
    {
        var events = await ReadAsync("data: " + new string('x', 64) + "\n\n", maxEventSize: 64);
        Assert.Equal(64, Assert.Single(events).Data.Length);
    }

    [Fact]
    public async Task ReadAsync_LineAboveLimit_ThrowsNamingLimit()
    {
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("data: " + new string('x', 200) + "\n\n", maxEventSize: 64));
        Assert.Contains("line exceeds 64 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ManyDataLinesAboveLimit_ThrowsNamingLimit()
    {
        var text = string.Concat(Enumerable.Repeat("data: " + new string('x', 20) + "\n", 10)) + "\n";
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(text, maxEventSize: 64));
        Assert.Contains("event data exceeds 64 characters", ex.Message, StringComparison.Ordinal);
    }
}
