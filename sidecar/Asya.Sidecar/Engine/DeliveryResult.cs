namespace Asya.Sidecar.Engine;

/// <summary>What happened to one delivery: <see cref="Ack"/> false means nack (nothing could be handed on).</summary>
internal sealed record DeliveryResult(bool Ack, DeliveryOutcome Kind, string Destination, string? EnvelopeId)
{
    /// <summary>The outcome's log word (<see cref="DeliveryOutcome.Name"/>).</summary>
    public string Outcome => Kind.Name;

    public static DeliveryResult Nack(string? envelopeId, string why) => new(false, DeliveryOutcome.Nack, why, envelopeId);
}
