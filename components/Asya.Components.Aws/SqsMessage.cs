using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

/// <summary>A message received by one <see cref="SqsTransport"/>; <see cref="TransportMessage.Id"/> is the SQS MessageId.</summary>
internal sealed class SqsMessage : TransportMessage
{
    public required SqsTransport Owner { get; init; }

    public required string QueueUrl { get; init; }

    public required string ReceiptHandle { get; init; }
}
