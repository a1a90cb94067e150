using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>Source-generated serializers for every wire type; null members are omitted (Go's <c>omitempty</c>).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(Envelope))]
[JsonSerializable(typeof(Frame))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(RuntimeErrorResponse))]
[JsonSerializable(typeof(UpstreamEvent))]
[JsonSerializable(typeof(ErrorDetails))]
[JsonSerializable(typeof(EnvelopeStatus))]
[JsonSerializable(typeof(Route))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
