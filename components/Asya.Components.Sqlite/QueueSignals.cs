using System.Collections.Concurrent;

namespace Asya.Components.Sqlite;

/// <summary>
/// The wake-up signals of one database's queues, shared by every transport instance in this process that opened the
/// same file, so a send through one instance wakes a receiver waiting on another at once instead of at its next poll.
/// </summary>
internal sealed class QueueSignals
{
    private static readonly Lock RegistryLock = new();
    private static readonly Dictionary<string, QueueSignals> Registry = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, AsyncSignal> _signals = new(StringComparer.Ordinal);
    private readonly string? _key;
    private int _users;

    private QueueSignals(string? key) => _key = key;

    /// <summary>The process-wide signals for <paramref name="key"/>; pair with <see cref="Release"/>.</summary>
    public static QueueSignals Acquire(string key)
    {
        lock (RegistryLock)
        {
            if (!Registry.TryGetValue(key, out var signals))
            {
                signals = new QueueSignals(key);
                Registry[key] = signals;
            }

            signals._users++;
            return signals;
        }
    }

    /// <summary>Signals seen by one transport only, as if it were alone in its process.</summary>
    public static QueueSignals Private() => new(null);

    /// <summary>The registry key of a database: its full path, or its name for an in-memory database.</summary>
    public static string KeyOf(SqliteDatabaseSettings settings) =>
        settings.InMemory ? "memory:" + settings.DataSource : "file:" + Path.GetFullPath(settings.DataSource);

    public AsyncSignal For(string queue) => _signals.GetOrAdd(queue, static _ => new AsyncSignal());

    public void PulseAll()
    {
        foreach (var signal in _signals.Values)
        {
            signal.Pulse();
        }
    }

    public void Release()
    {
        if (_key is null)
        {
            return;
        }

        lock (RegistryLock)
        {
            if (--_users == 0)
            {
                Registry.Remove(_key);
            }
        }
    }
}
