namespace Asya.Components.Resiliency;

/// <summary>
/// Everything the sidecar needs to decide what happens after a handler error or timeout (docs/design.md §5). Built from
/// <c>ASYA_RESILIENCY_*</c> env, an <c>AsyncActor</c>'s <c>spec.resiliency</c>, or Dapr <c>Resiliency</c> manifests;
/// all three map to this one model.
/// </summary>
public sealed record ResiliencySettings
{
    /// <summary>Name of the policy used when no rule matches.</summary>
    public const string DefaultPolicyName = "default";

    /// <summary>Upstream's default per-call timeout.</summary>
    public static readonly TimeSpan DefaultActorTimeout = TimeSpan.FromMinutes(5);

    /// <summary>No retries, default timeout: every handler error goes to x-sink as failed.</summary>
    public static ResiliencySettings None { get; } = new();

    /// <summary>Longest a single handler call may run.</summary>
    public TimeSpan ActorTimeout { get; init; } = DefaultActorTimeout;

    /// <summary>Policies by name.</summary>
    public IReadOnlyDictionary<string, RetryPolicy> Policies { get; init; } = new Dictionary<string, RetryPolicy>();

    /// <summary>Rules in order; the first whose policy exists wins.</summary>
    public IReadOnlyList<ResiliencyRule> Rules { get; init; } = [];

    /// <summary>
    /// The policy for an error: the first matching rule whose policy exists, else <c>default</c>, else <c>null</c>
    /// (no retry).
    /// </summary>
    public RetryPolicy? Match(string type, IReadOnlyList<string> mro)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(type, mro) && Policies.TryGetValue(rule.Policy, out var policy))
            {
                return policy;
            }
        }

        return Policies.GetValueOrDefault(DefaultPolicyName);
    }
}
