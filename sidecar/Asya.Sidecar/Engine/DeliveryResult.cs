namespace Asya.Sidecar.Engine;

/// <summary>What happened to one delivery: <see cref="Ack"/> false means nack (nothing could be handed on).</summary>
internal sealed record DeliveryResult(bool Ack, string Outcome, string Destination, string? EnvelopeId)
{
    public static DeliveryResult Nack(string? envelopeId, string why) => new(false, "nack", why, envelopeId);
}
