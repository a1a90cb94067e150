namespace Asya.Components.Resiliency;

/// <summary>How the wait between attempts grows (docs/design.md §5).</summary>
public enum BackoffKind
{
    /// <summary>Always <c>initialDelay</c>.</summary>
    Constant,

    /// <summary><c>initialDelay × attempt</c>.</summary>
    Linear,

    /// <summary><c>initialDelay × 2^(attempt-1)</c>.</summary>
    Exponential,
}
