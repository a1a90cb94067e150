using System.Collections.Concurrent;

namespace Asya.Components.Gcp;

/// <summary>What this process knows about one queue: its consumer and the messages it holds, for depth counts.</summary>
internal sealed class QueueState(string queue, string topic, string subscription)
{
    public string Queue { get; } = queue;

    public string Topic { get; } = topic;

    public string Subscription { get; } = subscription;

    /// <summary>Handed to the caller and not yet acked or nacked: message id → ack id.</summary>
    public ConcurrentDictionary<string, string> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Sent or nacked with a delay, or pulled before its time: message id → when it is due.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> Delayed { get; } = new(StringComparer.Ordinal);

    public SubscriptionConsumer? Consumer { get; set; }

    public long DelayedAt(DateTimeOffset now) => Delayed.Count(d => d.Value > now);
}
