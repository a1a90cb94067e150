using System.Text;
using System.Text.Json;
using Asya.Runtime.Protocol;

namespace Asya.Bench;

internal static class BenchEnvelopes
{
    public static byte[] Create(string actor, int index)
    {
        var envelope = new Envelope
        {
            Id = Guid.NewGuid().ToString(),
            Route = Route.Start([actor]),
            Payload = JsonDocument.Parse(Encoding.UTF8.GetBytes($$"""{"i":{{index}},"text":"the quick brown fox jumps over the lazy dog"}""")).RootElement,
        };
        return envelope.ToUtf8Bytes();
    }
}
