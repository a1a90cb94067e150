using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;

namespace Asya.Components.Gcp;

/// <summary>A message pulled from a subscription; <see cref="TransportMessage.Id"/> is the Pub/Sub message id.</summary>
internal sealed class GcpPubSubMessage : TransportMessage
{
    public required GcpPubSubTransport Owner { get; init; }

    /// <summary>Receipt of this delivery; changes on every redelivery.</summary>
    public required string AckId { get; init; }

    /// <summary>The message as published, attributes included, for republishing a long-delayed nack.</summary>
    public required PubsubMessage Raw { get; init; }
}
