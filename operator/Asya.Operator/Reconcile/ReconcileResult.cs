namespace Asya.Operator.Reconcile;

/// <summary>What the work queue does with a key after a reconcile.</summary>
internal enum ReconcileResult
{
    /// <summary>Converged (or gone); wait for the next event or resync.</summary>
    Done,

    /// <summary>Not converged for a reason outside the spec (missing component, broker down): retry with backoff.</summary>
    Retry,
}
