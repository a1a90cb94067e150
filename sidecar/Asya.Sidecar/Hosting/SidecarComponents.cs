using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Components.Resiliency;

namespace Asya.Sidecar.Hosting;

/// <summary>
/// The components one sidecar runs on, created before the host is built and registered in it as they are;
/// <see cref="DisposeAsync"/> closes them after the host stopped.
/// </summary>
internal sealed record SidecarComponents(ITransport Transport, string TransportName, IStateStore? ResultStore, ResiliencySettings Resiliency)
    : IAsyncDisposable
{
    /// <summary>The manifests' components that own <see cref="Transport"/> and <see cref="ResultStore"/>; null for components made in code.</summary>
    public AppComponents? Owner { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Owner is not null)
        {
            await Owner.DisposeAsync();
            return;
        }

        await Transport.DisposeAsync();
        if (ResultStore is not null)
        {
            await ResultStore.DisposeAsync();
        }
    }
}
