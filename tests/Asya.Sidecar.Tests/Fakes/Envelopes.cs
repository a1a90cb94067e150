using System.Text;
using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Tests.Fakes;

internal static class Envelopes
{
    public static Envelope Create(string id, string[] actors, string payloadJson = """{"x":1}""", string? headersJson = null)
    {
        var envelope = new Envelope
        {
            Id = id,
            Route = Route.Start(actors),
            Payload = JsonDocument.Parse(payloadJson, ProtocolJson.DocumentOptions).RootElement.Clone(),
        };
        if (headersJson is not null)
        {
            envelope.Headers = System.Text.Json.Nodes.JsonNode.Parse(headersJson)!.AsObject();
        }

        return envelope;
    }

    public static byte[] Bytes(this Envelope envelope) => envelope.ToUtf8Bytes();

    public static Envelope Parse(ReadOnlyMemory<byte> body) =>
        JsonSerializer.Deserialize(body.Span, ProtocolJson.Context.Envelope)
            ?? throw new InvalidOperationException("null envelope: " + Encoding.UTF8.GetString(body.Span));

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
