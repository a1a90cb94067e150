using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;

namespace Asya.Mesh.Client;

/// <summary>
/// The transports and result store of a mesh, created with the same components the sidecars use (<paramref name="transportOf"/>
/// gives the transport of a queue); <paramref name="owner"/> owns and disposes them.
/// </summary>
internal sealed class ComponentMeshClient(Func<string, ITransport> transportOf, IStateStore results, IAsyncDisposable owner) : IMeshClient
{
    public async ValueTask SendAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var transport = transportOf(queue);
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
        transportOf(queue) is IQueueDepthSource depth ? (await depth.GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false)).Total : null;

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}
