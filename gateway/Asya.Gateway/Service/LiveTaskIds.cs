namespace Asya.Gateway.Service;

/// <summary>
/// Ids of tasks this replica found in the store and not finished, so a FLY report (thousands a second on one stream)
/// skips the store read that tells a known task from an unknown one. Bounded: past <see cref="Capacity"/> the oldest id
/// is forgotten (its next FLY reads the store once more). A terminal status applied here removes the id; a task finished
/// through another replica stays until evicted, which only lets its late FLY events through as before the task ended.
/// </summary>
internal sealed class LiveTaskIds(int capacity = LiveTaskIds.Capacity)
{
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string id)
    {
        lock (_gate)
        {
            return _ids.Contains(id);
        }
    }

    public void Add(string id)
    {
        lock (_gate)
        {
            if (!_ids.Add(id))
            {
                return;
            }

            _order.Enqueue(id);
            // Ids removed on terminal still sit in the order queue; skipping them keeps eviction to live ids.
            while (_ids.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _ids.Remove(oldest);
            }

            if (_order.Count > 2 * capacity)
            {
                var keep = _order.Where(_ids.Contains).ToArray();
                _order.Clear();
                Array.ForEach(keep, _order.Enqueue);
            }
        }
    }

    public void Remove(string id)
    {
        lock (_gate)
        {
            _ids.Remove(id);
        }
    }
}
