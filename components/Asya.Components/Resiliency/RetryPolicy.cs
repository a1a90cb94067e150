namespace Asya.Components.Resiliency;

/// <summary>
/// A named retry policy (docs/design.md §5). Attempts include the first one. A policy is exhausted when the attempt
/// count reaches <see cref="MaxAttempts"/> or, when <see cref="MaxDuration"/> is positive, that long has passed
/// since the first attempt on the actor.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Policy name, e.g. <c>default</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Attempts in all, the first included; values below 1 mean 1.</summary>
    public int MaxAttempts { get; init; } = 1;

    /// <summary>How the delay grows.</summary>
    public BackoffKind Backoff { get; init; } = BackoffKind.Exponential;

    /// <summary>Delay before the second attempt; zero retries at once.</summary>
    public TimeSpan InitialDelay { get; init; }

    /// <summary>Cap on any single delay when positive.</summary>
    public TimeSpan MaxInterval { get; init; }

    /// <summary>Cap on the time since the first attempt when positive.</summary>
    public TimeSpan MaxDuration { get; init; }

    /// <summary>Multiply each delay by a uniform factor in [0.5, 1.5) (upstream code, not its docs).</summary>
    public bool Jitter { get; init; }

    /// <summary>Actors to route to when the policy is exhausted; empty = x-sink, failed.</summary>
    public IReadOnlyList<string> OnExhausted { get; init; } = [];

    /// <summary>Attempts allowed, at least 1.</summary>
    public int EffectiveMaxAttempts => Math.Max(MaxAttempts, 1);

    /// <summary>
    /// Delay before attempt <paramref name="failedAttempt"/> + 1: zero when <see cref="InitialDelay"/> is not positive;
    /// constant, linear (× attempt) or exponential (× 2^(attempt-1)); capped by <see cref="MaxInterval"/>; then jittered.
    /// </summary>
    public TimeSpan ComputeDelay(int failedAttempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (InitialDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var n = Math.Max(failedAttempt, 1);
        var ticks = Backoff switch
        {
            BackoffKind.Constant => InitialDelay.Ticks,
            BackoffKind.Linear => InitialDelay.Ticks * (double)n,
            _ => InitialDelay.Ticks * Math.Pow(2, Math.Min(n - 1, 62)),
        };
        if (MaxInterval > TimeSpan.Zero)
        {
            ticks = Math.Min(ticks, MaxInterval.Ticks);
        }

        if (Jitter)
        {
            ticks *= 0.5 + random.NextDouble();
        }

        return TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.MaxValue.Ticks));
    }
}
