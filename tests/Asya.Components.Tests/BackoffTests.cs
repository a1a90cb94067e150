using Asya.Components.Abstractions;

namespace Asya.Components.Tests;

public sealed class BackoffTests
{
    private static readonly Backoff HalfSecondTo30 = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    [Fact]
    public void After_DoublesPerFailureUpToTheCap()
    {
        Assert.Equal(
            [0, 0.5, 1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(0, 9).Select(n => HalfSecondTo30.After(n).TotalSeconds));
    }

    [Fact]
    public void After_ManyFailures_StaysAtTheCapWithoutOverflow()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), HalfSecondTo30.After(int.MaxValue));
        Assert.Equal(TimeSpan.FromSeconds(30), HalfSecondTo30.After(64));
    }

    [Fact]
    public void Next_DoublesFromTheFirstDelayUpToTheCap()
    {
        var seen = new List<double>();
        var delay = TimeSpan.Zero;
        for (var i = 0; i < 9; i++)
        {
            delay = HalfSecondTo30.Next(delay);
            seen.Add(delay.TotalSeconds);
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], seen);
    }

    [Fact]
    public void Next_CapBelowTheFirstDelay_NeverExceedsTheCap()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(40));
        Assert.Equal(TimeSpan.FromMilliseconds(40), backoff.Next(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(40), backoff.Next(TimeSpan.FromMilliseconds(40)));
        Assert.Equal(TimeSpan.FromMilliseconds(40), backoff.Next(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(40), backoff.After(1));
    }

    [Fact]
    public void Next_AtTheCap_StaysThere()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.MaxValue);
        Assert.Equal(TimeSpan.MaxValue, backoff.Next(TimeSpan.MaxValue));
    }
}
