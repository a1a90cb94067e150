using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.Aws;

/// <summary>Creates <c>pubsub.aws.snssqs</c> transports: Dapr's keys, SQS queues only.</summary>
internal sealed class SnsSqsTransportFactory : IComponentFactory
{
    public const string Type = "pubsub.aws.snssqs";

    public IReadOnlyList<string> Types { get; } = [Type];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = SqsKeys.SnsSqs;

    public IReadOnlyCollection<string> NoEffectKeys { get; } = SqsKeys.NoEffect;

    public void Validate(ComponentSpec spec, ICollection<string> warnings) => SqsSettingsReader.ReadSnsSqs(spec, NullLogger.Instance);

    public IComponent Create(IServiceProvider services) =>
        new SqsTransport(Type, SqsSettingsReader.ReadSnsSqs, services.TimeProvider(), services.Logger<SqsTransport>());
}
