using Asya.Components.Abstractions;

namespace Asya.Components.RabbitMQ;

/// <summary>A delivery handed to the caller: acked or nacked by its tag on the channel that delivered it.</summary>
internal sealed class RabbitMqMessage : TransportMessage
{
    public required RabbitMqTransport Owner { get; init; }

    public required RabbitMqDelivery Delivery { get; init; }

    /// <summary><see cref="TimeProvider"/> timestamp after which the lease runs out; 0 = no lease.</summary>
    public long LeaseDeadline;
}
