using System.Text;
using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Bench;

internal static class BenchEnvelopes
{
    /// <param name="gatewayUrl">When set, the envelope is a gateway task: header <c>x-asya-gateway-url</c>.</param>
    public static byte[] Create(string actor, int index, string? gatewayUrl = null)
    {
        var envelope = new Envelope
        {
            Id = Guid.NewGuid().ToString(),
            Route = Route.Start([actor]),
            Payload = JsonDocument.Parse(Encoding.UTF8.GetBytes($$"""{"i":{{index}},"text":"the quick brown fox jumps over the lazy dog"}""")).RootElement,
        };
        if (gatewayUrl is not null)
        {
            envelope.Headers = new System.Text.Json.Nodes.JsonObject { [MeshHeaders.GatewayUrl] = gatewayUrl };
        }

        return envelope.ToUtf8Bytes();
    }
}
