namespace Asya.Components.Abstractions;

/// <summary>
/// Dapr's names for what a state store offers (components-contrib <c>state.Feature</c>), as <see cref="IStateStore.Features"/>
/// lists them and Dapr's metadata API reports them as component capabilities.
/// </summary>
public static class StateStoreFeatures
{
    /// <summary>Conditional writes and deletes by ETag (part of every <see cref="IStateStore"/>).</summary>
    public const string ETag = "ETAG";

    /// <summary>Expiry of entries (part of every <see cref="IStateStore"/>).</summary>
    public const string Ttl = "TTL";

    /// <summary>All-or-nothing batches of upserts and deletes through <see cref="ITransactionalStateStore"/>.</summary>
    public const string Transactional = "TRANSACTIONAL";
}
