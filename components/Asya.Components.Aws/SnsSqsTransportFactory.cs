using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

/// <summary>Creates <c>pubsub.aws.snssqs</c> transports: Dapr's keys, SQS queues only.</summary>
internal sealed class SnsSqsTransportFactory : IComponentFactory
{
    public const string Type = "pubsub.aws.snssqs";

    public IReadOnlyList<string> Types { get; } = [Type];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = SqsKeys.SnsSqs;

    public IComponent Create(IServiceProvider services) =>
        new SqsTransport(Type, SqsSettingsReader.ReadSnsSqs, services.TimeProvider(), services.Logger<SqsTransport>());
}
