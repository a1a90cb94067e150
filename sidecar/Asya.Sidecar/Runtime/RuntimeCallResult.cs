using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Runtime;

internal sealed record RuntimeCallResult(RuntimeCallStatus Status, int FrameCount = 0)
{
    public string? ErrorCode { get; init; }

    public ErrorDetails? Error { get; init; }

    public Exception? Exception { get; init; }

    public int UpstreamEvents { get; init; }

    /// <summary>
    /// Set on <see cref="RuntimeCallStatus.TimedOut"/>: the call's handler slot, still held so no other envelope reaches
    /// the runtime that is about to be killed; disposing it (once the new runtime is ready) lets calls through again.
    /// </summary>
    public IDisposable? HeldGate { get; init; }
}
