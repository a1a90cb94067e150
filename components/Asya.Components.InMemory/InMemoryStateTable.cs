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
            var current = Live(request.Key, now);
            if (request.ETag is { Length: > 0 } match ? current?.ETag != match : request.FirstWrite && current is not null)
            {
                return null;
            }

            var etag = Guid.NewGuid().ToString();
            DateTimeOffset? expires = request.Ttl is { } ttl && ttl > TimeSpan.Zero ? now + ttl : null;
            _entries[request.Key] = new StateEntry(request.Key, request.Value.ToArray(), etag, expires);
            return etag;
        }
    }

    /// <summary>Deletes; null when the ETag did not match, else whether the key existed.</summary>
    public bool? Delete(string key, string? etag, DateTimeOffset now)
    {
        lock (_lock)
        {
            var current = Live(key, now);
            if (etag is { Length: > 0 } && current?.ETag != etag)
            {
                return null;
            }

            return current is not null && _entries.Remove(key);
        }
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
