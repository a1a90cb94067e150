using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Asya.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>
/// A gateway's mesh port on loopback (Kestrel) that records every event posted to it (one object, or an array of them), in arrival order, and answers
/// pre-flight reads from <see cref="Statuses"/> (404 for other ids). Ids in <see cref="UnknownTasks"/> get 404 on posts.
/// </summary>
internal sealed class RecordingGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingGateway(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<(string Id, JsonObject Body)> Events { get; } = new();

    public CountSignal EventCount { get; } = new();

    public ConcurrentDictionary<string, string> Statuses { get; } = new();

    public ConcurrentDictionary<string, int> Reads { get; } = new();

    /// <summary>Event posts (requests, each one event or a batch) per task id.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public HashSet<string> UnknownTasks { get; } = [];

    /// <summary>When set, pre-flight reads answer this status code instead.</summary>
    public HttpStatusCode? ReadFailure { get; set; }

    public IReadOnlyList<JsonObject> EventsOf(string id) => [.. Events.Where(e => e.Id == id).Select(e => e.Body)];

    public static async Task<RecordingGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var gateway = new RecordingGateway(app);
        app.MapPost("/api/v1/mesh/{id}/events", async (string id, HttpRequest request) =>
        {
            // One event as an object, or a batch as an array (recorded one by one, in order).
            var node = await JsonNode.ParseAsync(request.Body);
            gateway.Requests.AddOrUpdate(id, 1, (_, n) => n + 1);
            foreach (var body in node is JsonArray batch ? batch.Select(e => (JsonObject)e!) : [(JsonObject)node!])
            {
                gateway.Events.Enqueue((id, body));
                gateway.EventCount.Increment();
            }

            return gateway.UnknownTasks.Contains(id) ? Results.NotFound() : Results.NoContent();
        });
        app.MapGet("/api/v1/mesh/{id}", (string id) =>
        {
            gateway.Reads.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (gateway.ReadFailure is { } failure)
            {
                return Results.StatusCode((int)failure);
            }

            return gateway.Statuses.TryGetValue(id, out var status)
                ? Results.Text(new JsonObject { ["id"] = id, ["status"] = status }.ToJsonString(), "application/json")
                : Results.NotFound();
        });
        await app.StartAsync();
        gateway.BaseUrl = app.Urls.First();
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
