using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.Aws;

/// <summary>Creates <c>bindings.aws.sqs</c> transports: the same SQS transport read from the binding's keys.</summary>
internal sealed class SqsBindingTransportFactory : IComponentFactory
{
    public const string Type = "bindings.aws.sqs";

    public IReadOnlyList<string> Types { get; } = [Type];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys { get; } = SqsKeys.Binding;

    public IReadOnlyCollection<string> NoEffectKeys { get; } = SqsKeys.BindingNoEffect;

    public void Validate(ComponentSpec spec, ICollection<string> warnings) => SqsSettingsReader.ReadBinding(spec, NullLogger.Instance);

    public IComponent Create(IServiceProvider services) =>
        new SqsTransport(Type, SqsSettingsReader.ReadBinding, services.TimeProvider(), services.Logger<SqsTransport>());
}
