using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Cli.Cli;
using Asya.Gateway.Api;
using Asya.Hosting.Sse;

namespace Asya.Cli.Gateway;

/// <summary>
/// The tasks API of a gateway as <c>asya call</c> and <c>asya run</c> use it: submit, then the task's event stream (read
/// with the shared <see cref="SseReader"/>). <c>ASYA_GATEWAY_API_KEY</c>, when set, is sent as a bearer token.
/// </summary>
internal sealed class TasksApiClient : IDisposable
{
    public const string ApiKeyVariable = "ASYA_GATEWAY_API_KEY";

    // The event stream stays open as long as the task runs: no overall timeout, the caller's token ends it.
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public TasksApiClient(string baseUrl, string? apiKey)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        if (apiKey is { Length: > 0 })
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public string BaseUrl { get; }

    /// <summary>The URL of a task (<c>GET</c> it, <c>DELETE</c> it, <c>POST</c> <c>/resume</c> to it).</summary>
    public string TaskUrl(string id) => $"{BaseUrl}{TasksEndpoints.Prefix}/{Uri.EscapeDataString(id)}";

    /// <summary>
    /// <c>POST /api/v1/mesh</c>; the task id. The gateway's refusal is a <see cref="CliException"/> with its error: exit 2
    /// for what the request got wrong (400, 404, 413), else 1.
    /// </summary>
    public async Task<string> SubmitAsync(JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await SendAsync(() => _http.PostAsync(new Uri(BaseUrl + TasksEndpoints.Prefix), content, cancellationToken));
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            var code = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.RequestEntityTooLarge
                ? ExitCodes.Usage
                : ExitCodes.Failed;
            throw new CliException($"the gateway refused the task ({(int)response.StatusCode}): {ErrorOf(text)}", code);
        }

        return ParseObject(text)?["id"]?.GetValue<string>() ?? throw new CliException($"the gateway answered 201 without an id: {text}", ExitCodes.Failed);
    }

    /// <summary>The task's events (<c>status</c>, <c>progress</c>, <c>fly</c>) until the gateway closes the stream.</summary>
    public async IAsyncEnumerable<ServerSentEvent> EventsAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(TaskUrl(id) + "/events"));
        request.Headers.Accept.ParseAdd(SseWriter.ContentType);
        using var response = await SendAsync(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken));
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(
                $"the gateway refused the event stream of {id} ({(int)response.StatusCode}): {ErrorOf(await response.Content.ReadAsStringAsync(cancellationToken))}",
                ExitCodes.Failed);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseReader.ReadAsync(stream, cancellationToken))
        {
            yield return item;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"the gateway at {BaseUrl} does not answer ({ex.Message}); is 'asya up' still running?", ExitCodes.Failed);
        }
    }

    private static string ErrorOf(string text) => ParseObject(text)?["error"]?.GetValue<string>() ?? text;

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
