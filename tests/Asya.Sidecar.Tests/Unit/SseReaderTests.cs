using System.Text;
using Asya.Sidecar.Runtime;

namespace Asya.Sidecar.Tests.Unit;

public sealed class SseReaderTests
{
    private static async Task<List<ServerSentEvent>> ReadAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var events = new List<ServerSentEvent>();
        await foreach (var e in SseReader.ReadAsync(stream, CancellationToken.None))
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
}
