using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

/// <summary>A message received by one <see cref="SqsTransport"/>; <see cref="TransportMessage.Id"/> is the SQS MessageId.</summary>
internal sealed class SqsMessage : TransportMessage
{
    public required SqsTransport Owner { get; init; }

    public required string QueueUrl { get; init; }

    public required string ReceiptHandle { get; init; }

    /// <summary>
    /// When this receipt's lease ends, by the transport's clock, counted from before the call that began it (so never
    /// later than SQS's own). On a standard queue SQS deletes a message even through an old receipt handle, so after
    /// this moment the transport must not touch it: another consumer may hold it now.
    /// </summary>
    public DateTimeOffset LeaseEnds { get; set; }
}
