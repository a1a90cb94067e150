using System.Collections.Concurrent;

namespace Asya.Components.RabbitMQ;

/// <summary>The delay queues this transport declared, per target queue, with when each was last declared.</summary>
internal sealed class DelayQueueRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, long>> _byQueue = new(StringComparer.Ordinal);

    public IEnumerable<string> Of(string queue) =>
        _byQueue.TryGetValue(queue, out var buckets) ? buckets.Keys.Select(b => DelayQueues.Name(queue, b)) : [];

    public bool NeedsDeclare(string queue, long bucket, long now, TimeProvider timeProvider) =>
        !_byQueue.TryGetValue(queue, out var buckets)
        || !buckets.TryGetValue(bucket, out var declared)
        || timeProvider.GetElapsedTime(declared, now) >= DelayQueues.Renew;

    public void Declared(string queue, long bucket, long now) =>
        _byQueue.GetOrAdd(queue, _ => new ConcurrentDictionary<long, long>())[bucket] = now;

    public void Forget(string queue) => _byQueue.TryRemove(queue, out _);
}
