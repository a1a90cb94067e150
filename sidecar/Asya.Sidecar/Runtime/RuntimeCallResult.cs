using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Runtime;

internal sealed record RuntimeCallResult(RuntimeCallStatus Status, int FrameCount = 0)
{
    public string? ErrorCode { get; init; }

    public ErrorDetails? Error { get; init; }

    public Exception? Exception { get; init; }

    public int UpstreamEvents { get; init; }
}
