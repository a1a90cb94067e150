using System.Collections.Concurrent;
using Asya.Components.Gcp.PubSubV1;

namespace Asya.Components.Gcp;

/// <summary>
/// Delivery counts. With a dead-letter policy Pub/Sub counts attempts itself (<c>delivery_attempt</c>), but it also
/// counts the transport's own pulls that are not deliveries to the caller: a delayed message pulled early and put
/// back, a depth peek. Those are subtracted here. Without a dead-letter policy the server reports nothing, so the
/// count is this process's own tally of deliveries per message id: right within one process, restarting at 1 in a
/// new one. Entries go on ack; the maps are capped so a flood of never-acked ids cannot grow them without bound.
/// </summary>
internal sealed class DeliveryTracker
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, int> _uncounted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);

    /// <summary>A pull of <paramref name="messageId"/> that did not hand it to the caller.</summary>
    public void NotADelivery(string messageId)
    {
        Trim(_uncounted);
        _uncounted.AddOrUpdate(messageId, 1, (_, n) => n + 1);
    }

    /// <summary>Counts a delivery of <paramref name="received"/> to the caller and returns its number (1 on the first).</summary>
    public int Deliver(ReceivedMessage received)
    {
        var id = received.Message.MessageId;
        int count;
        if (received.DeliveryAttempt > 0)
        {
            count = received.DeliveryAttempt - _uncounted.GetValueOrDefault(id);
        }
        else
        {
            Trim(_seen);
            count = _seen.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        return TransportAttributes.GetPriorDeliveries(received.Message) + Math.Max(1, count);
    }

    public void Forget(string messageId)
    {
        _uncounted.TryRemove(messageId, out _);
        _seen.TryRemove(messageId, out _);
    }

    private static void Trim(ConcurrentDictionary<string, int> map)
    {
        if (map.Count >= MaxEntries)
        {
            map.Clear();
        }
    }
}
