using Asya.Hosting.Sse;

namespace Asya.Hosting.Tests.Sse;

public sealed class SseWriterTests
{
    [Fact]
    public async Task WriteEventAsync_ReadBackBySseReader_SameEventsIdsAndMultiLineData()
    {
        using var stream = new MemoryStream();
        await SseWriter.WriteEventAsync(stream, "status", "{\"a\":1}", "7", CancellationToken.None);
        await SseWriter.WriteCommentAsync(stream, "keepalive", CancellationToken.None);
        await SseWriter.WriteEventAsync(stream, "fly", "line one\r\nline two\nline three", null, CancellationToken.None);
        stream.Position = 0;

        var events = new List<ServerSentEvent>();
        await foreach (var e in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal([new ServerSentEvent("status", "{\"a\":1}", "7"), new ServerSentEvent("fly", "line one\nline two\nline three")], events);
    }

    [Fact]
    public async Task WriteEventAsync_Layout_IdEventDataBlankLine()
    {
        using var stream = new MemoryStream();
        await SseWriter.WriteEventAsync(stream, "status", "{}", "3", CancellationToken.None);
        await SseWriter.WriteCommentAsync(stream, "keepalive", CancellationToken.None);

        Assert.Equal("id: 3\nevent: status\ndata: {}\n\n: keepalive\n\n", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task WriteEventAsync_LineBreakInEventName_Refused()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(async () => await SseWriter.WriteEventAsync(stream, "status\ndata: forged", "{}", null, CancellationToken.None));
        Assert.Equal(0, stream.Length);
    }
}
