using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>
/// <c>state.in-memory</c>: Dapr's ETag (random per write), first-write and TTL semantics, and transactions. Stores with the same
/// component name on the same <see cref="InMemoryBroker"/> share their entries, so a writer and a reader in one
/// process agree.
/// </summary>
internal sealed class InMemoryStateStore(InMemoryBroker broker, TimeProvider timeProvider) : IStateStore, ITransactionalStateStore
{
    private InMemoryStateTable? _table;

    public IReadOnlyCollection<string> Features { get; } = [StateStoreFeatures.ETag, StateStoreFeatures.Ttl, StateStoreFeatures.Transactional];

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _table = broker.StateTable(spec.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(Table.Get(key, timeProvider.GetUtcNow()));
    }

    public ValueTask<string> SetAsync(StateSetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Key);
        return Table.Set(request, timeProvider.GetUtcNow()) is { } etag
            ? ValueTask.FromResult(etag)
            : throw new ETagMismatchException(request.ETag is { Length: > 0 }
                ? $"state key '{request.Key}': the ETag does not match the stored entry (or the key does not exist)"
                : $"state key '{request.Key}': first-write failed because the key already exists");
    }

    public ValueTask<bool> DeleteAsync(string key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Table.Delete(key, etag, timeProvider.GetUtcNow()) is { } deleted
            ? ValueTask.FromResult(deleted)
            : throw new ETagMismatchException($"state key '{key}': the ETag does not match the stored entry (or the key does not exist)");
    }

    /// <summary>Checks and applies the operations under the table's lock, so no other write comes between.</summary>
    public ValueTask ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        StateTransaction.Validate(operations);
        var failed = Table.Execute(operations, timeProvider.GetUtcNow());
        return failed < 0 ? ValueTask.CompletedTask : throw StateTransaction.Mismatch(operations, failed);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private InMemoryStateTable Table => _table ?? throw new InvalidOperationException("The in-memory state store is not initialised.");
}
