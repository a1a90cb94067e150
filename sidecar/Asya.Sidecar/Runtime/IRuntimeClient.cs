namespace Asya.Sidecar.Runtime;

internal interface IRuntimeClient
{
    Task<RuntimeCallResult> InvokeAsync(ReadOnlyMemory<byte> envelope, FrameCallback onFrame, TimeSpan timeout, CancellationToken cancellationToken);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
