using System.Net;
using System.Net.Http.Headers;

namespace Asya.Sidecar.Runtime;

/// <summary>
/// The envelope as a request body that goes out at most once and knows whether it reached the runtime's socket.
/// HttpClient silently sends a request again on a fresh connection when a reused one fails before any response byte;
/// after the whole body reached a runtime its handler may have started, so that second send is refused here, and the
/// caller tells "never reached a runtime" (retry freely) from "reached one" (the handler may have run) by
/// <see cref="Delivered"/>.
/// </summary>
internal sealed class OnceContent : HttpContent
{
    private readonly ReadOnlyMemory<byte> _body;
    private int _sends;

    public OnceContent(ReadOnlyMemory<byte> body, MediaTypeHeaderValue contentType)
    {
        _body = body;
        Headers.ContentType = contentType;
    }

    /// <summary>The whole body was written and flushed to a runtime's socket (the runtime reads it all before invoking).</summary>
    public bool Delivered { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _sends) > 1 && Delivered)
        {
            throw new RuntimeResendRefusedException();
        }

        await stream.WriteAsync(_body, cancellationToken);
        // Flushed, the bytes are in the runtime's socket buffer; unflushed, a failure could still leave them unsent.
        await stream.FlushAsync(cancellationToken);
        Delivered = true;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
