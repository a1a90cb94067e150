namespace Asya.Runtime.Protocol;

/// <summary>Fixed names of the sidecar ⇄ runtime protocol over the Unix socket (docs/design.md §3).</summary>
public static class RuntimeProtocol
{
    /// <summary>Default directory of the socket and the ready file.</summary>
    public const string DefaultSocketDirectory = "/var/run/asya";

    /// <summary>File name of the runtime's socket inside the socket directory.</summary>
    public const string SocketFileName = "asya-runtime.sock";

    /// <summary>File the runtime writes once its handler is loaded and the socket listens: <c>ready\n&lt;pid&gt;\n</c>.</summary>
    public const string ReadyFileName = "runtime-ready";

    /// <summary>Path of the invoke endpoint.</summary>
    public const string InvokePath = "/invoke";

    /// <summary>Path of the health endpoint.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>Content type of streaming (generator) replies.</summary>
    public const string EventStreamContentType = "text/event-stream";

    /// <summary>SSE event carrying a frame to route now.</summary>
    public const string DownstreamEvent = "downstream";

    /// <summary>SSE event carrying a FLY object.</summary>
    public const string UpstreamEventName = "upstream";

    /// <summary>SSE event carrying a <see cref="RuntimeErrorResponse"/>; no frames follow.</summary>
    public const string ErrorEvent = "error";

    /// <summary>SSE event that ends the stream.</summary>
    public const string DoneEvent = "done";
}
