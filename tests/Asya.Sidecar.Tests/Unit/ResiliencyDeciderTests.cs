using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Engine;

namespace Asya.Sidecar.Tests.Unit;

public sealed class ResiliencyDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ResiliencySettings Settings(TimeSpan maxDuration = default) => new()
    {
        Policies = new Dictionary<string, RetryPolicy>
        {
            ["oom"] = new() { Name = "oom", MaxAttempts = 1 },
            ["default"] = new() { Name = "default", MaxAttempts = 3, Backoff = BackoffKind.Exponential, InitialDelay = TimeSpan.FromSeconds(1), MaxDuration = maxDuration },
        },
        Rules = [new ResiliencyRule(["MemoryError"], "oom")],
    };

    [Fact]
    public void Decide_FirstFailure_RetriesWithPolicyDelay()
    {
        var d = new ResiliencyDecider(Settings(), new Random(1)).Decide(new EnvelopeStatus { Attempt = 2 }, new ErrorDetails { Type = "ValueError", Mro = ["Exception"] }, Now, Now);
        Assert.Equal(ResiliencyAction.Retry, d.Action);
        Assert.Equal(TimeSpan.FromSeconds(2), d.Delay);
        Assert.Equal(3, d.MaxAttempts);
    }

    [Fact]
    public void Decide_RuleMatch_UsesRulePolicy()
    {
        var d = new ResiliencyDecider(Settings(), new Random(1)).Decide(new EnvelopeStatus { Attempt = 1 }, new ErrorDetails { Type = "MemoryError", Mro = ["Exception"] }, Now, Now);
        Assert.Equal(ResiliencyAction.Exhausted, d.Action);
        Assert.Equal("oom", d.Policy!.Name);
    }

    [Fact]
    public void Decide_MaxDurationPassed_Exhausted()
    {
        var d = new ResiliencyDecider(Settings(TimeSpan.FromSeconds(10)), new Random(1))
            .Decide(new EnvelopeStatus { Attempt = 1 }, new ErrorDetails { Type = "ValueError" }, Now, Now.AddSeconds(11));
        Assert.Equal(ResiliencyAction.Exhausted, d.Action);
    }

    [Fact]
    public void Decide_NoPolicies_NoPolicy()
    {
        var d = new ResiliencyDecider(ResiliencySettings.None, new Random(1)).Decide(new EnvelopeStatus(), new ErrorDetails { Type = "ValueError" }, null, Now);
        Assert.Equal(ResiliencyAction.NoPolicy, d.Action);
    }
}
