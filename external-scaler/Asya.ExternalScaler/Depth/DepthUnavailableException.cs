namespace Asya.ExternalScaler.Depth;

/// <summary>No trustworthy depth: the broker is down, the sample is stale, or the transport cannot count (permanent).</summary>
internal sealed class DepthUnavailableException(string message, bool permanent) : Exception(message)
{
    /// <summary>True when retrying will not help (the transport has no depth capability).</summary>
    public bool Permanent { get; } = permanent;
}
