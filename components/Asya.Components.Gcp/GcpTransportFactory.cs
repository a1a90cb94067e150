using Asya.Components.Abstractions;

namespace Asya.Components.Gcp;

/// <summary>Creates <c>pubsub.gcp.pubsub</c> transports.</summary>
internal sealed class GcpTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.gcp.pubsub"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys => GcpKeys.All;

    public IReadOnlyCollection<string> NoEffectKeys => GcpKeys.NoEffect;

    public void Validate(ComponentSpec spec, ICollection<string> warnings) =>
        GcpPubSubSettings.Read(spec, Environment.GetEnvironmentVariable);

    public IComponent Create(IServiceProvider services) => new GcpPubSubTransport(
        services.TimeProvider(), services.Logger<GcpPubSubTransport>(), Environment.GetEnvironmentVariable);
}
