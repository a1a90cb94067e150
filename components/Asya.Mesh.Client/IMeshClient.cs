namespace Asya.Mesh.Client;

/// <summary>What a client (the CLI, the gateway) needs from a running mesh: put an envelope on a queue, read a finished or dead-lettered one.</summary>
public interface IMeshClient : IAsyncDisposable
{
    /// <summary>Puts <paramref name="body"/> (an envelope) on <paramref name="queue"/>, creating the queue where the transport can.</summary>
    ValueTask SendAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>
    /// The envelope x-sink stored under <paramref name="id"/>, else the one x-sump stored (dead-lettered without reaching
    /// x-sink), or <c>null</c> when neither has it yet.
    /// </summary>
    ValueTask<FinishedEnvelope?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Messages in <paramref name="queue"/> (ready, in flight or delayed), or <c>null</c> when the transport cannot count.</summary>
    ValueTask<long?> GetDepthAsync(string queue, CancellationToken cancellationToken);
}
