using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;

namespace Asya.Sidecar.Engine;

/// <summary>Chooses what happens to a failed attempt (docs/design.md §5), as a value the processor acts on.</summary>
internal sealed class ResiliencyDecider(ResiliencySettings settings, Random random)
{
    public ResiliencySettings Settings { get; } = settings;

    public ResiliencyDecision Decide(EnvelopeStatus status, ErrorDetails error, DateTimeOffset? firstAttempt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(error);
        if (Settings.Match(error.Type, error.Mro) is not { } policy)
        {
            return new ResiliencyDecision(ResiliencyAction.NoPolicy, null, 1);
        }

        var max = policy.EffectiveMaxAttempts;
        var attemptsExhausted = status.Attempt >= max;
        var durationExhausted = policy.MaxDuration > TimeSpan.Zero && firstAttempt is { } first && now - first >= policy.MaxDuration;
        if (!attemptsExhausted && !durationExhausted)
        {
            return new ResiliencyDecision(ResiliencyAction.Retry, policy, max, policy.ComputeDelay(status.Attempt, random));
        }

        return policy.OnExhausted.Count > 0
            ? new ResiliencyDecision(ResiliencyAction.RouteOnExhausted, policy, max)
            : new ResiliencyDecision(ResiliencyAction.Exhausted, policy, max);
    }
}
