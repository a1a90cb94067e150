namespace Asya.Components.Abstractions;

/// <summary>One operation of a state transaction: <see cref="StateUpsert"/> or <see cref="StateDelete"/>.</summary>
public abstract record StateOperation
{
    private protected StateOperation()
    {
    }

    /// <summary>The key the operation changes.</summary>
    public abstract string Key { get; }
}

/// <summary>A write with the same ETag, first-write and TTL rules as <see cref="IStateStore.SetAsync"/>.</summary>
/// <param name="Request">The write.</param>
public sealed record StateUpsert(StateSetRequest Request) : StateOperation
{
    /// <inheritdoc/>
    public override string Key => Request.Key;
}

/// <summary>A delete; with an ETag it fails unless the key exists with that ETag, without one a missing key is fine.</summary>
public sealed record StateDelete : StateOperation
{
    /// <summary>Deletes <paramref name="key"/>, only if its ETag is <paramref name="etag"/> when that is given.</summary>
    public StateDelete(string key, string? etag = null)
    {
        Key = key;
        ETag = etag;
    }

    /// <inheritdoc/>
    public override string Key { get; }

    /// <summary>When set, the ETag the stored entry must have.</summary>
    public string? ETag { get; }
}
