using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>
/// One result of a handler as the runtime returns it (docs/design.md §3): the payload and the route already advanced
/// by the runtime, plus the headers and status the handler left (omitted when empty).
/// </summary>
public sealed class Frame
{
    /// <summary>Result payload; any JSON value.</summary>
    [JsonPropertyName("payload"), JsonPropertyOrder(0)]
    public JsonElement Payload { get; set; }

    /// <summary>The route after this actor: <c>curr</c> is the next actor or <c>""</c>.</summary>
    [JsonPropertyName("route"), JsonPropertyOrder(1)]
    public Route? Route { get; set; }

    /// <summary>Headers as the handler left them; absent means "unchanged".</summary>
    [JsonPropertyName("headers"), JsonPropertyOrder(2)]
    public JsonObject? Headers { get; set; }

    /// <summary>Status as the handler left it; absent means "unchanged".</summary>
    [JsonPropertyName("status"), JsonPropertyOrder(3)]
    public EnvelopeStatus? Status { get; set; }
}

/// <summary>Body of <c>200 application/json</c> replies to <c>POST /invoke</c>: <c>{"frames":[frame]}</c>.</summary>
public sealed class InvokeResponse
{
    /// <summary>Result frames; a plain handler returns exactly one.</summary>
    [JsonPropertyName("frames")]
    public List<Frame> Frames { get; set; } = [];
}

/// <summary>
/// Body of <c>400</c>/<c>500</c> replies and of SSE <c>error</c> events:
/// <c>{"error":"processing_error","details":{…}}</c>.
/// </summary>
public sealed class RuntimeErrorResponse
{
    /// <summary>Error code, one of <see cref="RuntimeErrorCodes"/>.</summary>
    [JsonPropertyName("error"), JsonPropertyOrder(0)]
    public string Error { get; set; } = "";

    /// <summary>What failed; absent when the runtime gave no details.</summary>
    [JsonPropertyName("details"), JsonPropertyOrder(1)]
    public ErrorDetails? Details { get; set; }
}

/// <summary>Data of an SSE <c>upstream</c> event: a FLY object to forward, not to route.</summary>
public sealed class UpstreamEvent
{
    /// <summary>The object the handler yielded with <c>("FLY", obj)</c>.</summary>
    [JsonPropertyName("payload")]
    public JsonElement Payload { get; set; }
}
