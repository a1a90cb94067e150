using System.Text.Json.Nodes;
using Asya.Hosting.Sse;

namespace Asya.Gateway.Tests.Infrastructure;

/// <summary>An SSE client of <c>/api/v1/mesh/{id}/events</c>, reading through the mesh's one <see cref="SseReader"/>.</summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncEnumerator<ServerSentEvent> _events;

    private EventStreamClient(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        Stream = stream;
        _events = SseReader.ReadAsync(stream, _stop.Token).GetAsyncEnumerator(_stop.Token);
    }

    public Stream Stream { get; }

    public static async Task<EventStreamClient> OpenAsync(HttpClient client, string id, string? lastEventId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/mesh/{id}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamClient(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or null when the server closed the stream.</summary>
    public async Task<ServerSentEvent?> NextAsync() =>
        await _events.MoveNextAsync().AsTask().WaitAsync(Deadline) ? _events.Current : null;

    /// <summary>The next event, which must exist and be of <paramref name="name"/>; its data as JSON.</summary>
    public async Task<(ServerSentEvent Event, JsonNode Data)> ExpectAsync(string name)
    {
        var next = await NextAsync();
        Assert.True(next is not null, $"stream closed, expected event {name}");
        Assert.Equal(name, next.Value.Event);
        return (next.Value, JsonNode.Parse(next.Value.Data)!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _events.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        await Stream.DisposeAsync();
        _response.Dispose();
        _stop.Dispose();
    }
}
