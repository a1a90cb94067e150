using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// HTTP calls to a task's gateway, each bounded by <c>--gateway-timeout</c>. Every call carries
/// <c>X-Asya-Envelope-ID</c>, so an ingress can route all calls of one task to one replica (upstream does the same).
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    public const string EnvelopeIdHeader = "X-Asya-Envelope-ID";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    public GatewayClient(TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        _timeout = timeout;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>
    /// Posts <paramref name="bodies"/> as one request: a single event as the object itself, several as a JSON array the
    /// gateway applies in order.
    /// </summary>
    public async Task<GatewayCallResult> PostEventsAsync(GatewayTarget target, IReadOnlyList<JsonObject> bodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(bodies);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.EventsUri)
        {
            Content = new ByteArrayContent(Serialize(bodies)) { Headers = { ContentType = Json } },
        };
        var (result, _) = await SendAsync(request, target, readBody: false, cancellationToken);
        return result;
    }

    /// <summary>The task's <c>status</c> as the gateway states it, or null with the reason the read gave none.</summary>
    public async Task<(GatewayCallResult Result, string? Status)> GetStatusAsync(GatewayTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var request = new HttpRequestMessage(HttpMethod.Get, target.TaskUri);
        var (result, body) = await SendAsync(request, target, readBody: true, cancellationToken);
        if (result != GatewayCallResult.Ok || body is null)
        {
            return (result, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body, ProtocolJson.DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                ? (GatewayCallResult.Ok, status.GetString())
                : (GatewayCallResult.Rejected, null);
        }
        catch (JsonException)
        {
            return (GatewayCallResult.Rejected, null);
        }
    }

    private async Task<(GatewayCallResult, byte[]?)> SendAsync(HttpRequestMessage request, GatewayTarget target, bool readBody, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(EnvelopeIdHeader, target.TaskId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (GatewayCallResult.UnknownTask, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                return (GatewayCallResult.Rejected, null);
            }

            return (GatewayCallResult.Ok, readBody ? await response.Content.ReadAsByteArrayAsync(timeout.Token) : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (GatewayCallResult.Unreachable, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            return (GatewayCallResult.Unreachable, null);
        }
    }

    private static byte[] Serialize(IReadOnlyList<JsonObject> bodies)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = ProtocolJson.MaxDepth + 2 }))
        {
            if (bodies.Count == 1)
            {
                bodies[0].WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var body in bodies)
                {
                    body.WriteTo(writer);
                }

                writer.WriteEndArray();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _http.Dispose();
}
