using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>The entries of one <c>state.in-memory</c> component, shared by every store with that component name.</summary>
internal sealed class InMemoryStateTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StateEntry> _entries = new(StringComparer.Ordinal);

    public StateEntry? Get(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            return Live(key, now);
        }
    }

    /// <summary>Writes unless the ETag or first-write condition fails; returns the new ETag or null on a mismatch.</summary>
    public string? Set(StateSetRequest request, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!Allows(request, Live(request.Key, now)))
            {
                return null;
            }

            var entry = NewEntry(request, now);
            _entries[request.Key] = entry;
            return entry.ETag;
        }
    }

    /// <summary>Deletes; null when the ETag did not match, else whether the key existed.</summary>
    public bool? Delete(string key, string? etag, DateTimeOffset now)
    {
        lock (_lock)
        {
            var current = Live(key, now);
            if (!Allows(etag, current))
            {
                return null;
            }

            return current is not null && _entries.Remove(key);
        }
    }

    /// <summary>
    /// Applies every operation or none: they are checked in order against what the earlier ones would leave, and only
    /// when all pass are the results stored. Returns the index of the operation whose condition failed, or -1.
    /// </summary>
    public int Execute(IReadOnlyList<StateOperation> operations, DateTimeOffset now)
    {
        lock (_lock)
        {
            var staged = new Dictionary<string, StateEntry?>(StringComparer.Ordinal);
            for (var i = 0; i < operations.Count; i++)
            {
                var operation = operations[i];
                var current = staged.TryGetValue(operation.Key, out var earlier) ? earlier : Live(operation.Key, now);
                switch (operation)
                {
                    case StateUpsert { Request: var request } when Allows(request, current):
                        staged[request.Key] = NewEntry(request, now);
                        break;
                    case StateDelete delete when Allows(delete.ETag, current):
                        staged[delete.Key] = null;
                        break;
                    default:
                        return i;
                }
            }

            foreach (var (key, entry) in staged)
            {
                if (entry is null)
                {
                    _entries.Remove(key);
                }
                else
                {
                    _entries[key] = entry;
                }
            }

            return -1;
        }
    }

    private static bool Allows(StateSetRequest request, StateEntry? current) =>
        request.ETag is { Length: > 0 } ? Allows(request.ETag, current) : !(request.FirstWrite && current is not null);

    private static bool Allows(string? etag, StateEntry? current) => etag is not { Length: > 0 } || current?.ETag == etag;

    private static StateEntry NewEntry(StateSetRequest request, DateTimeOffset now)
    {
        DateTimeOffset? expires = request.Ttl is { } ttl && ttl > TimeSpan.Zero ? now + ttl : null;
        return new StateEntry(request.Key, request.Value.ToArray(), Guid.NewGuid().ToString(), expires);
    }

    private StateEntry? Live(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expires && expires <= now)
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }
}
