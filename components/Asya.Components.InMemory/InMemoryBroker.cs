using System.Collections.Concurrent;

namespace Asya.Components.InMemory;

/// <summary>
/// The queues and state tables of the in-memory components. Every transport and store created from the same
/// broker sees the same data; the factories take the broker registered in DI, else <see cref="Shared"/>.
/// </summary>
public sealed class InMemoryBroker
{
    private readonly ConcurrentDictionary<string, InMemoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, InMemoryStateTable> _stateTables = new(StringComparer.Ordinal);

    /// <summary>The process-wide broker used when none is registered.</summary>
    public static InMemoryBroker Shared { get; } = new();

    internal InMemoryQueue Queue(string name) => _queues.GetOrAdd(name, static n => new InMemoryQueue(n));

    internal InMemoryQueue? ExistingQueue(string name) => _queues.GetValueOrDefault(name);

    internal InMemoryStateTable StateTable(string component) => _stateTables.GetOrAdd(component, static _ => new InMemoryStateTable());
}
