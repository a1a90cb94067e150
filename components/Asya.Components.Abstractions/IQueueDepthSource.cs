namespace Asya.Components.Abstractions;

/// <summary>A transport that can count a queue's messages (used by the scaler and <c>asya</c> status).</summary>
public interface IQueueDepthSource
{
    /// <summary>Current depth of <paramref name="queue"/>; an unknown queue has depth zero.</summary>
    ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken);
}
