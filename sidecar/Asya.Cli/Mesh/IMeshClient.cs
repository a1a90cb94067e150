namespace Asya.Cli.Mesh;

/// <summary>What the CLI needs from a running mesh: put an envelope on a queue, read a finished one.</summary>
internal interface IMeshClient : IAsyncDisposable
{
    ValueTask SendAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The envelope x-sink stored under <paramref name="id"/>, or <c>null</c> when it has not arrived.</summary>
    ValueTask<byte[]?> GetResultAsync(string id, CancellationToken cancellationToken);

    /// <summary>Messages in <paramref name="queue"/> (ready, in flight or delayed), or <c>null</c> when the transport cannot count.</summary>
    ValueTask<long?> GetDepthAsync(string queue, CancellationToken cancellationToken);
}
