namespace Asya.Components.Abstractions;

/// <summary>A transport that can count a queue's messages (used by the scaler and <c>asya</c> status).</summary>
public interface IQueueDepthSource
{
    /// <summary>Current depth of <paramref name="queue"/>; an unknown queue has depth zero.</summary>
    ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken);

    /// <summary>
    /// Depths of many queues at once; every requested queue is in the answer (unknown ones with depth zero).
    /// The scaler polls through this, so brokers override it to make one round trip per call, not one per queue
    /// (RabbitMQ management <c>/api/queues</c>, a Redis pipeline, one SQL <c>GROUP BY</c>).
    /// </summary>
    async ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(
        IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var depths = new Dictionary<string, QueueDepth>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            depths[queue] = await GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        return depths;
    }
}
