using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Asya.Hosting.Sse;

namespace Asya.Bench.Gateway;

/// <summary>The client side of the tasks API the scenarios share: submit, then follow the task's SSE stream.</summary>
internal static class TaskEvents
{
    private static readonly HashSet<string> Terminal = ["succeeded", "failed", "canceled"];

    /// <summary>POST /api/v1/mesh; the new task's id.</summary>
    public static async Task<string> SubmitAsync(HttpClient api, JsonObject body)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/mesh", body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"submit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Reads the task's events until its terminal status, calling <paramref name="onEvent"/> with each as it arrives.</summary>
    public static async Task FollowAsync(HttpClient api, string id, Action<ServerSentEvent> onEvent)
    {
        using var response = await api.GetAsync($"/api/v1/mesh/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var sse in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            onEvent(sse);
            if (sse.Event == "status" && JsonNode.Parse(sse.Data)?["status"]?.GetValue<string>() is { } status && Terminal.Contains(status))
            {
                if (status != "succeeded")
                {
                    throw new InvalidOperationException($"task {id} ended {status}: {sse.Data}");
                }

                return;
            }
        }

        throw new InvalidOperationException($"the event stream of task {id} closed before a terminal status");
    }
}
