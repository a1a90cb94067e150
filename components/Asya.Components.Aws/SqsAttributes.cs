namespace Asya.Components.Aws;

/// <summary>What a received message's attributes carry besides the SQS system attributes.</summary>
/// <param name="Headers">Transport headers.</param>
/// <param name="Encoding">Body encoding, <c>null</c> for plain text.</param>
/// <param name="NotBeforeUnixMs">Due time of a delay longer than SQS's 15 minutes.</param>
/// <param name="PriorDeliveries">Deliveries of earlier copies of this message (a delayed nack re-sends it).</param>
internal sealed record SqsAttributes(IReadOnlyDictionary<string, string> Headers, string? Encoding, long? NotBeforeUnixMs, int PriorDeliveries);
