using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>
/// One queue: entries by sequence number plus a schedule ordered by (visible at, sequence). The schedule is
/// updated lazily: a change pushes a new item and older items of the same entry are skipped as stale.
/// </summary>
internal sealed class InMemoryQueue(string name)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, InMemoryEntry> _entries = [];
    private readonly PriorityQueue<(InMemoryEntry Entry, int Version), (long VisibleTicks, long Sequence)> _schedule = new();
    private long _nextSequence;
    private long _nextLease;

    public string Name { get; } = name;

    public AsyncSignal Signal { get; } = new();

    public void Add(byte[] body, IReadOnlyDictionary<string, string> headers, DateTimeOffset visibleAt)
    {
        lock (_lock)
        {
            var entry = new InMemoryEntry(++_nextSequence, body, headers) { VisibleAt = visibleAt };
            _entries.Add(entry.Sequence, entry);
            Schedule(entry);
        }
    }

    public List<TransportMessage> Claim(int max, DateTimeOffset now, TimeSpan visibility)
    {
        var claimed = new List<TransportMessage>();
        lock (_lock)
        {
            while (claimed.Count < max && _schedule.TryPeek(out var item, out var when))
            {
                if (item.Entry.Removed || item.Version != item.Entry.Version)
                {
                    _schedule.Dequeue();
                    continue;
                }

                if (when.VisibleTicks > now.UtcTicks)
                {
                    break;
                }

                _schedule.Dequeue();
                var entry = item.Entry;
                entry.Lease = ++_nextLease;
                entry.VisibleAt = now + visibility;
                entry.DeliveryCount++;
                Schedule(entry);
                claimed.Add(new InMemoryTransportMessage
                {
                    Id = entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Queue = Name,
                    Body = entry.Body,
                    Headers = entry.Headers,
                    DeliveryCount = entry.DeliveryCount,
                    Sequence = entry.Sequence,
                    Lease = entry.Lease,
                });
            }
        }

        return claimed;
    }

    /// <summary>When the earliest hidden message becomes visible, if any.</summary>
    public DateTimeOffset? NextVisibleAt()
    {
        lock (_lock)
        {
            while (_schedule.TryPeek(out var item, out var when))
            {
                if (!item.Entry.Removed && item.Version == item.Entry.Version)
                {
                    return new DateTimeOffset(when.VisibleTicks, TimeSpan.Zero);
                }

                _schedule.Dequeue();
            }

            return null;
        }
    }

    public bool Remove(long sequence, long lease)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(sequence, out var entry) || entry.Lease != lease)
            {
                return false;
            }

            _entries.Remove(sequence);
            entry.Removed = true;
            return true;
        }
    }

    /// <summary>Makes a leased entry visible at <paramref name="visibleAt"/>; releases the lease when asked (nack).</summary>
    public bool Reschedule(long sequence, long lease, DateTimeOffset visibleAt, bool release)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(sequence, out var entry) || entry.Lease != lease)
            {
                return false;
            }

            entry.VisibleAt = visibleAt;
            if (release)
            {
                entry.Lease = 0;
            }

            Schedule(entry);
            return true;
        }
    }

    public QueueDepth Depth(DateTimeOffset now)
    {
        long ready = 0, inFlight = 0, delayed = 0;
        lock (_lock)
        {
            foreach (var entry in _entries.Values)
            {
                if (entry.VisibleAt <= now)
                {
                    ready++;
                }
                else if (entry.Lease != 0)
                {
                    inFlight++;
                }
                else
                {
                    delayed++;
                }
            }
        }

        return new QueueDepth(ready, inFlight, delayed);
    }

    public void Clear()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Removed = true;
            }

            _entries.Clear();
            _schedule.Clear();
        }
    }

    private void Schedule(InMemoryEntry entry)
    {
        entry.Version++;
        _schedule.Enqueue((entry, entry.Version), (entry.VisibleAt.UtcTicks, entry.Sequence));
    }
}
