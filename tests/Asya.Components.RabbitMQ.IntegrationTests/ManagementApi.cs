using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>The broker's management API, to look at what the transport declared.</summary>
internal static class ManagementApi
{
    private static readonly HttpClient Http = Create();

    /// <summary>The queue's JSON, or null when it does not exist.</summary>
    public static async Task<JsonElement?> QueueAsync(string queue)
    {
        using var response = await Http.GetAsync(new Uri($"api/queues/%2F/{Uri.EscapeDataString(queue)}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Names of open connections whose client-provided name is <paramref name="clientName"/>.</summary>
    public static async Task<IReadOnlyList<string>> ConnectionsNamedAsync(string clientName)
    {
        var json = await Http.GetStringAsync(new Uri("api/connections", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray()
            .Where(c => c.TryGetProperty("client_properties", out var p) && p.TryGetProperty("connection_name", out var n) && n.GetString() == clientName)
            .Select(c => c.GetProperty("name").GetString()!)];
    }

    /// <summary>Closes a connection from the broker side, as a network failure would.</summary>
    public static async Task CloseConnectionAsync(string name)
    {
        using var response = await Http.DeleteAsync(new Uri($"api/connections/{Uri.EscapeDataString(name)}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    private static HttpClient Create()
    {
        var endpoint = new Uri(RabbitMqTestEnvironment.RequireEndpoint());
        var userInfo = endpoint.UserInfo.Length > 0 ? Uri.UnescapeDataString(endpoint.UserInfo) : "guest:guest";
        var http = new HttpClient { BaseAddress = new Uri(RabbitMqTestEnvironment.ManagementUrl().TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        return http;
    }
}
