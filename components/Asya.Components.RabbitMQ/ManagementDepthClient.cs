using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Asya.Components.Abstractions;

namespace Asya.Components.RabbitMQ;

/// <summary>
/// Queue depths from the management API: one <c>GET /api/queues/&lt;vhost&gt;</c> for every queue at once. The broker refreshes
/// these figures every <c>collect_statistics_interval</c> (5 s by default), so they lag a little; fine for scaling.
/// </summary>
internal sealed class ManagementDepthClient(Uri baseUrl, string user, string password, string vhost) : IDisposable
{
    private readonly HttpClient _http = CreateClient(baseUrl, user, password);
    private readonly string _path = $"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages_ready,messages_unacknowledged";

    public async Task<IReadOnlyDictionary<string, QueueDepth>> GetDepthsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"RabbitMQ management API {baseUrl} answered {(int)response.StatusCode} {response.ReasonPhrase} to GET /api/queues", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var wanted = new Dictionary<string, QueueDepth>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            wanted[queue] = default;
        }

        foreach (var item in document.RootElement.EnumerateArray())
        {
            var name = item.GetProperty("name").GetString() ?? string.Empty;
            var ready = Number(item, "messages_ready");
            var unacked = Number(item, "messages_unacknowledged");
            if (wanted.TryGetValue(name, out var depth))
            {
                wanted[name] = depth with { Ready = depth.Ready + ready, InFlight = depth.InFlight + unacked };
                continue;
            }

            if (DelayQueues.TargetOf(name) is { } of && wanted.TryGetValue(of, out var target))
            {
                wanted[of] = target with { Delayed = target.Delayed + ready + unacked };
            }
        }

        return wanted;
    }

    public void Dispose() => _http.Dispose();

    private static long Number(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static HttpClient CreateClient(Uri baseUrl, string user, string password)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }
}
