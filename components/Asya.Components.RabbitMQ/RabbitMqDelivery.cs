using RabbitMQ.Client;

namespace Asya.Components.RabbitMQ;

/// <summary>A delivery pushed by the broker and buffered until a receive call takes it; the body is our own copy.</summary>
internal sealed record RabbitMqDelivery(
    QueueConsumer Consumer, ulong DeliveryTag, bool Redelivered, IReadOnlyBasicProperties Properties, byte[] Body, long Generation);
