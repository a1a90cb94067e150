namespace Asya.Sidecar.Runtime;

internal interface IRuntimeClient
{
    /// <summary>Calls the handler; <paramref name="onUpstream"/>, when given, gets every FLY event (otherwise they are only counted).</summary>
    Task<RuntimeCallResult> InvokeAsync(ReadOnlyMemory<byte> envelope, FrameCallback onFrame, TimeSpan timeout, CancellationToken cancellationToken, UpstreamCallback? onUpstream = null);

    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
