using System.Text;
using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Bench;

internal static class BenchEnvelopes
{
    /// <param name="gatewayUrl">When set, the envelope is a gateway task: header <c>x-asya-gateway-url</c>.</param>
    /// <param name="textBytes">When above 0, the payload's text is this many bytes (the footprint's 1 KiB and 1 MiB envelopes).</param>
    public static byte[] Create(string actor, int index, string? gatewayUrl = null, int textBytes = 0)
    {
        var text = textBytes > 0 ? new string('x', textBytes) : "the quick brown fox jumps over the lazy dog";
        var envelope = new Envelope
        {
            Id = Guid.NewGuid().ToString(),
            Route = Route.Start([actor]),
            Payload = JsonDocument.Parse(Encoding.UTF8.GetBytes($$"""{"i":{{index}},"text":"{{text}}"}""")).RootElement,
        };
        if (gatewayUrl is not null)
        {
            envelope.Headers = new System.Text.Json.Nodes.JsonObject { [MeshHeaders.GatewayUrl] = gatewayUrl };
        }

        return envelope.ToUtf8Bytes();
    }
}
