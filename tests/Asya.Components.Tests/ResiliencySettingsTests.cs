using Asya.Components.Resiliency;

namespace Asya.Components.Tests;

public sealed class ResiliencySettingsTests
{
    private static readonly string[] TimeoutMro = ["requests.exceptions.RequestException", "builtins.OSError", "builtins.Exception"];

    private static ResiliencySettings Settings(params ResiliencyRule[] rules) => new()
    {
        Policies = new Dictionary<string, RetryPolicy>
        {
            ["fast"] = new() { Name = "fast" },
            ["slow"] = new() { Name = "slow" },
            ["default"] = new() { Name = "default" },
        },
        Rules = rules,
    };

    [Fact]
    public void Match_PatternWithDot_MustEqualTheFullName()
    {
        var settings = Settings(new ResiliencyRule(["requests.exceptions.Timeout"], "fast"));

        Assert.Equal("fast", settings.Match("requests.exceptions.Timeout", TimeoutMro)?.Name);
        Assert.Equal("default", settings.Match("other.Timeout", [])?.Name);
    }

    [Fact]
    public void Match_PatternWithoutDot_MatchesLastSegment()
    {
        var settings = Settings(new ResiliencyRule(["Timeout"], "fast"));

        Assert.Equal("fast", settings.Match("requests.exceptions.Timeout", TimeoutMro)?.Name);
        Assert.Equal("fast", settings.Match("Timeout", [])?.Name);
        Assert.Equal("default", settings.Match("requests.exceptions.TimeoutError", [])?.Name);
    }

    [Fact]
    public void Match_MroMakesExceptionACatchAll()
    {
        var settings = Settings(new ResiliencyRule(["OSError"], "slow"), new ResiliencyRule(["Exception"], "fast"));

        Assert.Equal("slow", settings.Match("requests.exceptions.Timeout", TimeoutMro)?.Name);
        Assert.Equal("fast", settings.Match("mylib.Bad", ["builtins.ValueError", "builtins.Exception"])?.Name);
    }

    [Fact]
    public void Match_FirstMatchingRuleWins_AndRulesWithMissingPoliciesAreSkipped()
    {
        var settings = Settings(
            new ResiliencyRule(["ValueError"], "ghost"),
            new ResiliencyRule(["ValueError"], "slow"),
            new ResiliencyRule(["ValueError"], "fast"));

        Assert.Equal("slow", settings.Match("builtins.ValueError", [])?.Name);
    }

    [Fact]
    public void Match_NoRuleMatches_FallsBackToDefaultThenNull()
    {
        Assert.Equal("default", Settings().Match("X", [])?.Name);
        Assert.Null(ResiliencySettings.None.Match("X", []));
        Assert.Equal(TimeSpan.FromMinutes(5), ResiliencySettings.None.ActorTimeout);
    }
}
