using Asya.Gateway.Configuration;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Asya.Hosting.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Service;

/// <summary>
/// Fails tasks whose deadline passed without a final report ("task timed out"), in case no sidecar could say so (killed,
/// envelope lost). Paused tasks are not past their deadline: their clock stops until resumed. Each sweep also samples the
/// task counts by status for <c>/metrics</c>. A failing store is retried at the next tick and counts as progress. Reports
/// held during a store outage are applied first, and a task whose final report is still held is left alone.
/// </summary>
internal sealed class DeadlineBackstop(
    TaskService tasks, HeldReports held, GatewayOptions options, GatewayMetrics metrics, LoopHeartbeats loops, TimeProvider time,
    ILogger<DeadlineBackstop> logger)
    : BackgroundService
{
    private const int BatchSize = 500;

    // A sweep is a few store reads and one write per expired task; 30 s beyond the interval is a store that hangs.
    private readonly LoopHeartbeat _heartbeat = loops.Add("deadline-backstop", options.BackstopInterval + TimeSpan.FromSeconds(30));

    /// <summary>One sweep: every task past its deadline is failed, then the counts by status are sampled; returns how many failed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var failed = await TimeOutDueAsync(cancellationToken).ConfigureAwait(false);
        await SampleCountsAsync(cancellationToken).ConfigureAwait(false);
        return failed;
    }

    private async Task<int> TimeOutDueAsync(CancellationToken cancellationToken)
    {
        await held.ApplyHeldAsync(cancellationToken).ConfigureAwait(false);
        var failed = 0;
        while (true)
        {
            var due = await tasks.Store.ListPastDeadlineAsync(BatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var id in due.Where(id => !held.HoldsFinalReport(id)))
            {
                if ((await tasks.TimeOutAsync(id, cancellationToken).ConfigureAwait(false)).Outcome == TaskChangeOutcome.Applied)
                {
                    failed++;
                }
            }

            // A full batch of held tasks only would come back unchanged: the next tick retries it.
            if (due.Count < BatchSize || due.All(held.HoldsFinalReport))
            {
                return failed;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.BackstopInterval, time);
        try
        {
            do
            {
                _heartbeat.Beat();
                try
                {
                    await SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.BackstopFailed(ex, options.BackstopInterval);
                }

                _heartbeat.Idle();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleCountsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<TaskState, long>();
        foreach (var state in Enum.GetValues<TaskState>())
        {
            counts[state] = (await tasks.Store.ListAsync(new TaskQuery(state, Limit: 1), cancellationToken).ConfigureAwait(false)).Total;
        }

        metrics.SetCounts(counts);
    }
}
