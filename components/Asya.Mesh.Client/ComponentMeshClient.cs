using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;

namespace Asya.Mesh.Client;

/// <summary>
/// The transport and result store of a mesh, created with the same components the sidecars use;
/// <paramref name="owner"/> owns and disposes them.
/// </summary>
internal sealed class ComponentMeshClient(ITransport transport, IStateStore results, IAsyncDisposable owner) : IMeshClient
{
    public async ValueTask SendAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(queue), cancellationToken).ConfigureAwait(false);
        }

        await transport.SendAsync(queue, new OutgoingMessage(body), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<FinishedEnvelope?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (await results.GetAsync(ResultKeys.Sink(id), cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return new FinishedEnvelope(id, DeadLettered: false, stored.Value.ToArray());
        }

        return await results.GetAsync(ResultKeys.Sump(id), cancellationToken).ConfigureAwait(false) is { } dead
            ? new FinishedEnvelope(id, DeadLettered: true, dead.Value.ToArray())
            : null;
    }

    public async ValueTask<long?> GetDepthAsync(string queue, CancellationToken cancellationToken) =>
        transport is IQueueDepthSource depth ? (await depth.GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false)).Total : null;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
