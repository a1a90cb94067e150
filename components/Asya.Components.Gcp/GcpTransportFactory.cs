using Asya.Components.Abstractions;

namespace Asya.Components.Gcp;

/// <summary>Creates <c>pubsub.gcp.pubsub</c> transports.</summary>
internal sealed class GcpTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.gcp.pubsub"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys => GcpKeys.All;

    public IComponent Create(IServiceProvider services) => new GcpPubSubTransport(
        services.TimeProvider(), services.Logger<GcpPubSubTransport>(), Environment.GetEnvironmentVariable);
}
