using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>
/// The unit of work that travels between actors (docs/design.md §1). Written in the order
/// <c>id, parent_id?, route, headers?, payload, status?</c>; top-level keys this version does not know
/// are kept in <see cref="Extra"/> and written back after the known ones.
/// </summary>
public sealed class Envelope
{
    /// <summary>Envelope id; required and non-empty on the wire. Fan-out child 0 keeps it.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(0)]
    public string? Id { get; set; }

    /// <summary>Id of the envelope that produced this one by fan-out; omitted (never <c>null</c>) when absent.</summary>
    [JsonPropertyName("parent_id"), JsonPropertyOrder(1)]
    public string? ParentId { get; set; }

    /// <summary>Where the envelope has been and is going; required on the wire.</summary>
    [JsonPropertyName("route"), JsonPropertyOrder(2)]
    public Route? Route { get; set; }

    /// <summary>Free-form metadata carried hop to hop; omitted when absent.</summary>
    [JsonPropertyName("headers"), JsonPropertyOrder(3)]
    public JsonObject? Headers { get; set; }

    /// <summary>
    /// User data. Any JSON value, <c>null</c> included. <see cref="JsonValueKind.Undefined"/> means the key was
    /// missing from the input, which <see cref="EnvelopeParser"/> reports as an error.
    /// </summary>
    [JsonPropertyName("payload"), JsonPropertyOrder(4)]
    public JsonElement Payload { get; set; }

    /// <summary>Lifecycle stamp maintained by the sidecar; omitted when absent.</summary>
    [JsonPropertyName("status"), JsonPropertyOrder(5)]
    public EnvelopeStatus? Status { get; set; }

    /// <summary>Unknown top-level keys of the input, preserved on every envelope sent on.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>A deep copy: mutable parts (route, headers, status, extra keys) are not shared.</summary>
    public Envelope Clone() => new()
    {
        Id = Id,
        ParentId = ParentId,
        Route = Route?.Clone(),
        Headers = Headers?.DeepClone().AsObject(),
        Payload = Payload,
        Status = Status?.Clone(),
        Extra = Extra is null ? null : new Dictionary<string, JsonElement>(Extra, StringComparer.Ordinal),
    };

    /// <summary>Returns the headers object, creating it when absent.</summary>
    public JsonObject EnsureHeaders() => Headers ??= [];

    /// <summary>Serializes with the source-generated context (no reflection) and the shared depth limit.</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, ProtocolJson.Context.Envelope);
}
