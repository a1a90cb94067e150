using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.RabbitMQ;

/// <summary>Creates <c>pubsub.rabbitmq</c> transports.</summary>
internal sealed class RabbitMqTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.rabbitmq"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = RabbitMqKeys.All;

    public IReadOnlyCollection<string> NoEffectKeys { get; } = RabbitMqKeys.Ignored;

    public void Validate(ComponentSpec spec, ICollection<string> warnings) =>
        RabbitMqSettingsReader.Read(new MetadataReader(spec), NullLogger.Instance);

    public IComponent Create(IServiceProvider services) =>
        new RabbitMqTransport(services.TimeProvider(), services.Logger<RabbitMqTransport>());
}
