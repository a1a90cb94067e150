using Asya.Components.Abstractions;
using Asya.Components.Resiliency;

namespace Asya.Sidecar.Hosting;

/// <summary>The components one sidecar runs on, created at startup; <see cref="DisposeAsync"/> closes them after the host stopped.</summary>
internal sealed record SidecarComponents(ITransport Transport, string TransportName, IStateStore? ResultStore, ResiliencySettings Resiliency)
    : IAsyncDisposable
{
    public IAsyncDisposable? Owner { get; init; }

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
