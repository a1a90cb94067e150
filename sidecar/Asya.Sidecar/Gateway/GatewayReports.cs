using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// The JSON bodies a sidecar posts to <c>POST {gateway}/api/v1/mesh/{id}/events</c> (the sidecar README, "Gateway
/// reports", shows each). Hop reports map onto the task vocabulary as upstream does: <c>received</c>, <c>processing</c>
/// and <c>completed</c> are all status <c>running</c>; the hop itself is in <c>phase</c>, with the route as the actor
/// saw it (<c>curr</c> = that actor), so the gateway's progress is <c>(len(prev) + w) / (len(prev) + 1 + len(next))</c>.
/// </summary>
internal static class GatewayReports
{
    public const string Received = "received";
    public const string Processing = "processing";
    public const string Completed = "completed";

    public static JsonObject Hop(string actor, Route route, string phase, string message) => new()
    {
        ["type"] = "status",
        ["status"] = "running",
        ["phase"] = phase,
        ["actor"] = actor,
        ["route"] = RouteNode(route),
        ["message"] = message,
    };

    public static string ReceivedMessage(int bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"Received message ({bytes / 1024.0:0.00} KB)");

    public static string ProcessingMessage(string actor) => "Processing in " + actor;

    public static string CompletedMessage(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"Completed processing in {(long)duration.TotalMilliseconds}ms");

    /// <summary>
    /// What x-sink (<paramref name="atSump"/> false) or x-sump reports for a finished envelope, or null when its phase
    /// ends nothing the gateway tracks: x-sump and phase <c>failed</c> → <c>failed</c> with <c>error</c> (message) and
    /// <c>error_details</c>; <c>succeeded</c> → <c>succeeded</c> with <c>result</c> = the payload; <c>canceled</c> and
    /// <c>paused</c> (pre-flight diverts) → the same word, which the gateway's order never lets overwrite a canceled task.
    /// </summary>
    public static JsonObject? Final(Envelope envelope, string actor, bool atSump)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var phase = atSump ? EnvelopePhase.Failed : envelope.Status?.Phase;
        var report = new JsonObject { ["type"] = "status", ["actor"] = actor, ["route"] = RouteNode(envelope.Route ?? new Route()) };
        switch (phase)
        {
            case EnvelopePhase.Succeeded:
                report["status"] = "succeeded";
                report["result"] = Node(envelope.Payload);
                return report;
            case EnvelopePhase.Failed:
                report["status"] = "failed";
                var (message, details) = ErrorOf(envelope);
                report["error"] = message;
                report["error_details"] = details;
                if (envelope.Status?.Reason is { } reason)
                {
                    report["message"] = reason;
                }

                return report;
            case EnvelopePhase.Canceled or EnvelopePhase.Paused:
                report["status"] = phase;
                report["message"] = envelope.Status?.Reason;
                return report;
            default:
                return null;
        }
    }

    /// <summary>x-pause's report: status <c>paused</c>, the prompt as message, the metadata in <c>pause_metadata</c>.</summary>
    public static JsonObject Paused(string actor, Route route, JsonObject metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new JsonObject
        {
            ["type"] = "status",
            ["status"] = "paused",
            ["actor"] = actor,
            ["route"] = RouteNode(route),
            ["message"] = metadata["prompt"] is JsonValue prompt && prompt.TryGetValue<string>(out var text) ? text : "Task paused",
            ["pause_metadata"] = metadata.DeepClone(),
        };
    }

    /// <summary>A FLY event: the handler's object as <c>data</c>, never stored by the gateway.</summary>
    public static JsonObject Fly(string actor, JsonNode? data) => new()
    {
        ["type"] = "fly",
        ["actor"] = actor,
        ["data"] = data,
    };

    /// <summary>The runtime's <c>upstream</c> event is <c>{"payload": X}</c>; X is what the handler yielded with FLY.</summary>
    public static JsonNode? FlyData(string upstreamEventData)
    {
        var node = JsonNode.Parse(upstreamEventData, documentOptions: ProtocolJson.DocumentOptions);
        return node is JsonObject envelope && envelope.TryGetPropertyValue("payload", out var payload) ? payload?.DeepClone() : node;
    }

    private static (string Message, JsonNode? Details) ErrorOf(Envelope envelope)
    {
        if (envelope.Status?.Error is { } error)
        {
            return (error.Message, JsonSerializer.SerializeToNode(error, ProtocolJson.Context.ErrorDetails));
        }

        // Failures built by the sidecar carry {"error", "details"?} in the payload when status.error is unset.
        if (envelope.Payload.ValueKind == JsonValueKind.Object)
        {
            var message = envelope.Payload.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "failed";
            var details = envelope.Payload.TryGetProperty("details", out var d) ? Node(d) : null;
            return (message, details);
        }

        return ("failed", null);
    }

    private static JsonObject RouteNode(Route route) => new()
    {
        ["prev"] = new JsonArray([.. route.Prev.Select(p => (JsonNode?)p)]),
        ["curr"] = route.Curr,
        ["next"] = new JsonArray([.. route.Next.Select(n => (JsonNode?)n)]),
    };

    private static JsonNode? Node(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText(), documentOptions: ProtocolJson.DocumentOptions);
}
