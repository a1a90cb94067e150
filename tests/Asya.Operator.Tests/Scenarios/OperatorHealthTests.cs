using Asya.Hosting.Health;
using Asya.Operator.Reconcile;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Operator.Tests.Scenarios;

public sealed class OperatorHealthTests
{
    [Fact]
    public async Task Reconcile_ApiServerNeverAnswersAWrite_WorkerStaleOncePastTheReconcileDeadline()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.BeforeRequest = async (request, cancellationToken) =>
        {
            if (request.Method is "POST" or "PUT" or "PATCH")
            {
                hung.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await h.StartOperatorAsync(workers: 1, time: time);
        h.Store.Create(OperatorHarness.Actor("judge"));
        await hung.Task.WaitAsync(OperatorHarness.Deadline);

        time.Advance(OperatorService.ReconcileDeadline);
        Assert.Null(LoopHeartbeats.Problem(h.Heartbeats));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("reconcile-worker-1 last beat 301.0s ago (deadline 300s)", LoopHeartbeats.Problem(h.Heartbeats));
    }

    [Fact]
    public async Task Workers_NoWork_IdleAndNeverStale()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await h.StartOperatorAsync(workers: 2, time: time);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["reconcile-worker-1", "reconcile-worker-2"], h.Heartbeats.Select(l => l.Name));
        Assert.Null(LoopHeartbeats.Problem(h.Heartbeats));
    }
}
