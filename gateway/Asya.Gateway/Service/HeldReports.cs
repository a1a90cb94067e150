using System.Collections.Concurrent;
using Asya.Gateway.Observability;
using Asya.Gateway.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Service;

/// <summary>
/// Status reports that arrived while the task store could not be reached (a PostgreSQL restart): a sidecar sends each
/// report once and moves on, so a dropped final report would leave its task running until the backstop failed it.
/// They are kept in arrival order and applied once the store answers again (the store's monotonic rules make a late
/// one harmless); one warning when the first is held, one line when they are applied. Bounded: past
/// <see cref="Capacity"/> a report is dropped and logged. Held reports live in this process only.
/// </summary>
internal sealed class HeldReports(TaskService tasks, GatewayMetrics metrics, TimeProvider time, ILogger<HeldReports> logger) : BackgroundService
{
    public const int Capacity = 100_000;

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<(string Id, TaskReport Report)> _held = new();
    private int _count;

    /// <summary>Reports held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps <paramref name="report"/> for a retry; false (logged) when the hold is full.</summary>
    public bool Hold(string id, TaskReport report, TaskStoreUnavailableException cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var count = Interlocked.Increment(ref _count);
        if (count > Capacity)
        {
            Interlocked.Decrement(ref _count);
            metrics.StoreUnavailable(TaskReportType.Status, held: false);
            logger.HeldReportDropped(Capacity, id);
            return false;
        }

        _held.Enqueue((id, report));
        metrics.StoreUnavailable(TaskReportType.Status, held: true);
        if (count == 1)
        {
            logger.StoreUnavailable(cause.Message, RetryInterval);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RetryInterval, time, stoppingToken).ConfigureAwait(false);
                var applied = 0;
                while (_held.TryPeek(out var next))
                {
                    try
                    {
                        await tasks.ApplyReportAsync(next.Id, next.Report, stoppingToken).ConfigureAwait(false);
                    }
                    catch (TaskStoreUnavailableException)
                    {
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Not an outage: this report will never apply, and must not block the ones behind it.
                        logger.HeldReportFailed(ex, next.Id);
                    }

                    _held.TryDequeue(out _);
                    applied++;
                    if (Interlocked.Decrement(ref _count) == 0)
                    {
                        logger.StoreBack(applied);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (Count > 0)
            {
                logger.HeldReportsLost(Count);
            }
        }
    }
}
