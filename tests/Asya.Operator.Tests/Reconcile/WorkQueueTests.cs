using Asya.Operator.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Operator.Tests.Reconcile;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Add_SameKeyTwice_QueuedOnce()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal(2, queue.Count);
        using var cts = new CancellationTokenSource(Deadline);
        Assert.Equal("ns/a", await queue.TakeAsync(cts.Token));
        Assert.Equal("ns/b", await queue.TakeAsync(cts.Token));
    }

    [Fact]
    public async Task Add_WhileProcessing_HandedOutAgainOnlyAfterDone()
    {
        using var queue = new WorkQueue(new FakeTimeProvider(), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource(Deadline);
        queue.Add("ns/a");
        var key = await queue.TakeAsync(cts.Token);

        queue.Add("ns/a");
        Assert.Equal(0, queue.Count);
        var next = queue.TakeAsync(cts.Token).AsTask();
        Assert.False(next.IsCompleted);

        queue.Done(key);
        Assert.Equal("ns/a", await next);
    }

    [Fact]
    public async Task AddRateLimited_BacksOffExponentiallyThenForgetResets()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue(time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        using var cts = new CancellationTokenSource(Deadline);

        Assert.Equal((1, TimeSpan.FromSeconds(1)), queue.AddRateLimited("ns/a"));
        var take = queue.TakeAsync(cts.Token).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(take.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Done(await take);

        Assert.Equal((2, TimeSpan.FromSeconds(2)), queue.AddRateLimited("ns/a"));
        time.Advance(TimeSpan.FromSeconds(2));
        queue.Done(await queue.TakeAsync(cts.Token));
        Assert.Equal((3, TimeSpan.FromSeconds(4)), queue.AddRateLimited("ns/a"));
        Assert.Equal((4, TimeSpan.FromSeconds(5)), queue.AddRateLimited("ns/a"));

        queue.Forget("ns/a");
        Assert.Equal((1, TimeSpan.FromSeconds(1)), queue.AddRateLimited("ns/a"));
    }
}
