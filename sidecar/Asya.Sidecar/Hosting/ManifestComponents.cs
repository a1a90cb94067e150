using Asya.Sidecar.Configuration;

namespace Asya.Sidecar.Hosting;

/// <summary>Production components: Dapr-style manifests from the resources path, else the embedded SQLite defaults.</summary>
internal static class ManifestComponents
{
    public static Task<SidecarComponents> CreateAsync(SidecarOptions options, IServiceProvider services, CancellationToken cancellationToken) =>
        throw new SidecarConfigurationException("component loading is not wired yet");
}
