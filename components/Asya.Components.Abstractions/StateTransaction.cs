namespace Asya.Components.Abstractions;

/// <summary>What every <see cref="ITransactionalStateStore"/> checks and says the same way.</summary>
public static class StateTransaction
{
    /// <summary>Throws when the list, an operation or a key is missing, before anything is sent to the store.</summary>
    public static void Validate(IReadOnlyList<StateOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not { Key.Length: > 0 })
            {
                throw new ArgumentException($"state transaction: operation {i + 1} has no key", nameof(operations));
            }
        }
    }

    /// <summary>The error for a transaction whose operation at <paramref name="index"/> failed its condition.</summary>
    public static ETagMismatchException Mismatch(IReadOnlyList<StateOperation> operations, int index)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var operation = operations[index];
        var (verb, why) = operation switch
        {
            StateUpsert { Request.ETag.Length: > 0 } => ("upsert", "the ETag does not match the stored entry (or the key does not exist)"),
            StateUpsert => ("upsert", "first-write failed because the key already exists"),
            _ => ("delete", "the ETag does not match the stored entry (or the key does not exist)"),
        };
        return new ETagMismatchException(
            $"state transaction: operation {index + 1} of {operations.Count} ({verb} of key '{operation.Key}'): {why}; nothing was written");
    }
}
