namespace Asya.Components.Abstractions;

/// <summary>
/// A key/value store with Dapr's ETag and TTL semantics: a set or delete that carries an ETag fails with
/// <see cref="ETagMismatchException"/> unless it matches the stored one; an ETag on a missing key is a mismatch.
/// </summary>
public interface IStateStore : IComponent
{
    /// <summary>
    /// What this store offers, by Dapr's feature names (<see cref="StateStoreFeatures"/>): every store has ETags and TTLs;
    /// one that runs transactions adds <see cref="StateStoreFeatures.Transactional"/> and implements
    /// <see cref="ITransactionalStateStore"/>.
    /// </summary>
    IReadOnlyCollection<string> Features => [StateStoreFeatures.ETag, StateStoreFeatures.Ttl];

    /// <summary>The entry, or <c>null</c> when the key is missing or expired.</summary>
    ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes the entry and returns its new ETag.</summary>
    ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes the key; returns <c>false</c> when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken);

    /// <summary>
    /// The entries of <paramref name="keys"/>, in their order, <c>null</c> where a key is missing or expired (Dapr's bulk
    /// get). Stores override it to make one round trip; this default asks key by key.
    /// </summary>
    async ValueTask<IReadOnlyList<StateEntry?>> GetBulkAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var entries = new StateEntry?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            entries[i] = await GetAsync(keys[i], cancellationToken).ConfigureAwait(false);
        }

        return entries;
    }

    /// <summary>
    /// Writes every request, in order, and returns their new ETags (Dapr's bulk set: not a transaction, so a request
    /// whose ETag does not match throws <see cref="ETagMismatchException"/> and the ones before it stay written).
    /// </summary>
    async ValueTask<IReadOnlyList<string>> SetBulkAsync(IReadOnlyList<StateSetRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var etags = new string[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            etags[i] = await SetAsync(requests[i], cancellationToken).ConfigureAwait(false);
        }

        return etags;
    }
}

/// <summary>A stored value with its ETag.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">Raw value bytes.</param>
/// <param name="ETag">Opaque version; changes on every write.</param>
/// <param name="ExpiresAt">When the entry expires, if it has a TTL.</param>
public sealed record StateEntry(string Key, ReadOnlyMemory<byte> Value, string ETag, DateTimeOffset? ExpiresAt = null);

/// <summary>A write.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">Raw value bytes.</param>
public sealed record StateSetRequest(string Key, ReadOnlyMemory<byte> Value)
{
    /// <summary>When set, the write succeeds only if the stored ETag equals it.</summary>
    public string? ETag { get; init; }

    /// <summary>When set, the entry expires after this long.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>When true and no ETag is given, the write fails if the key exists (Dapr's first-write concurrency).</summary>
    public bool FirstWrite { get; init; }
}

/// <summary>A conditional write or delete whose ETag did not match.</summary>
public sealed class ETagMismatchException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ETagMismatchException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ETagMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ETagMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
