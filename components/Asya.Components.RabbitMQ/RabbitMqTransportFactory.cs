using Asya.Components.Abstractions;

namespace Asya.Components.RabbitMQ;

/// <summary>Creates <c>pubsub.rabbitmq</c> transports.</summary>
internal sealed class RabbitMqTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.rabbitmq"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = RabbitMqKeys.All;

    public IComponent Create(IServiceProvider services) =>
        new RabbitMqTransport(services.TimeProvider(), services.Logger<RabbitMqTransport>());
}
