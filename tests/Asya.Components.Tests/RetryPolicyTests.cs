using Asya.Components.Resiliency;

namespace Asya.Components.Tests;

public sealed class RetryPolicyTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(BackoffKind.Constant, 1, 1)]
    [InlineData(BackoffKind.Constant, 4, 1)]
    [InlineData(BackoffKind.Linear, 1, 1)]
    [InlineData(BackoffKind.Linear, 3, 3)]
    [InlineData(BackoffKind.Exponential, 1, 1)]
    [InlineData(BackoffKind.Exponential, 4, 8)]
    [InlineData(BackoffKind.Exponential, 0, 1)]
    public void ComputeDelay_GrowsByKind(BackoffKind kind, int failedAttempt, int seconds)
    {
        var policy = new RetryPolicy { Name = "p", Backoff = kind, InitialDelay = Second };

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.ComputeDelay(failedAttempt, new Random(1)));
    }

    [Fact]
    public void ComputeDelay_CappedByMaxInterval()
    {
        var policy = new RetryPolicy { Name = "p", InitialDelay = Second, MaxInterval = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromSeconds(5), policy.ComputeDelay(10, new Random(1)));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.ComputeDelay(1000, new Random(1)));
    }

    [Fact]
    public void ComputeDelay_NoInitialDelay_IsZero() =>
        Assert.Equal(TimeSpan.Zero, new RetryPolicy { Name = "p", Backoff = BackoffKind.Linear }.ComputeDelay(3, new Random(1)));

    [Fact]
    public void ComputeDelay_Jitter_StaysWithinHalfToOneAndAHalf()
    {
        var policy = new RetryPolicy { Name = "p", Backoff = BackoffKind.Constant, InitialDelay = Second, Jitter = true };
        var random = new Random(42);

        var delays = Enumerable.Range(0, 1000).Select(_ => policy.ComputeDelay(1, random)).ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500)));
        Assert.True(delays.Distinct().Count() > 900);
        Assert.Equal(policy.ComputeDelay(1, new Random(7)), policy.ComputeDelay(1, new Random(7)));
    }

    [Fact]
    public void EffectiveMaxAttempts_AtLeastOne()
    {
        Assert.Equal(1, new RetryPolicy { Name = "p", MaxAttempts = 0 }.EffectiveMaxAttempts);
        Assert.Equal(3, new RetryPolicy { Name = "p", MaxAttempts = 3 }.EffectiveMaxAttempts);
    }
}
