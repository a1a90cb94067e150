namespace Asya.Components.Abstractions;

/// <summary>
/// Live counts of ready messages, for a transport whose <see cref="IQueueDepthSource"/> figures lag behind the broker
/// (RabbitMQ's management API refreshes every 5 s). Cheap enough for the scaler to ask every 100 ms about the queues
/// whose push streams wait to wake an actor from zero.
/// </summary>
public interface IReadyCountSource
{
    /// <summary>Ready messages of each of <paramref name="queues"/> now; every requested queue is in the answer (unknown ones 0).</summary>
    ValueTask<IReadOnlyDictionary<string, long>> GetReadyCountsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken);
}
