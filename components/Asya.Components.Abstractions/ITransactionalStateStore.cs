namespace Asya.Components.Abstractions;

/// <summary>
/// A state store that runs Dapr's state transactions: every operation is applied, in order, or none is. An operation
/// whose ETag (or first-write) condition fails makes the whole transaction throw <see cref="ETagMismatchException"/>
/// with nothing written; a condition sees what the operations before it in the same transaction did. A store that
/// implements this lists <see cref="StateStoreFeatures.Transactional"/> in <see cref="IStateStore.Features"/>.
/// </summary>
public interface ITransactionalStateStore
{
    /// <summary>Applies <paramref name="operations"/> atomically; an empty list does nothing.</summary>
    ValueTask ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken);
}
