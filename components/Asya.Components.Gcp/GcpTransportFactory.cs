using Asya.Components.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Components.Gcp;

/// <summary>Creates <c>pubsub.gcp.pubsub</c> transports.</summary>
internal sealed class GcpTransportFactory : IComponentFactory
{
    public IReadOnlyList<string> Types { get; } = ["pubsub.gcp.pubsub"];

    public string Version => "v1";

    public IReadOnlyCollection<string> MetadataKeys => GcpKeys.All;

    public IComponent Create(IServiceProvider services) => new GcpPubSubTransport(
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        services.GetService<ILoggerFactory>()?.CreateLogger<GcpPubSubTransport>() ?? NullLogger<GcpPubSubTransport>.Instance,
        Environment.GetEnvironmentVariable);
}
