using Asya.Sidecar.Configuration;

namespace Asya.Sidecar.Hosting;

/// <summary>Creates the sidecar's components from its options (manifests in production, fakes in tests).</summary>
internal delegate Task<SidecarComponents> ComponentsFactory(SidecarOptions options, IServiceProvider services, CancellationToken cancellationToken);
