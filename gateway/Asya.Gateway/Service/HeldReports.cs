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
/// <see cref="Capacity"/> a report is dropped and logged. Held reports live in this process only. The deadline backstop
/// applies them before it fails late tasks and skips a task whose final report is still held: a held success must not
/// turn into "task timed out".
/// </summary>
internal sealed class HeldReports(TaskService tasks, GatewayMetrics metrics, TimeProvider time, ILogger<HeldReports> logger) : BackgroundService
{
    public const int Capacity = 100_000;

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<(string Id, TaskReport Report)> _held = new();
    private readonly ConcurrentDictionary<string, int> _terminal = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _applying = new(1, 1);
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

        if (IsTerminal(report))
        {
            _terminal.AddOrUpdate(id, 1, (_, n) => n + 1);
        }

        _held.Enqueue((id, report));
        metrics.StoreUnavailable(TaskReportType.Status, held: true);
        if (count == 1)
        {
            logger.StoreUnavailable(cause.Message, RetryInterval);
        }

        return true;
    }

    /// <summary>True while a final (succeeded, failed, canceled) report of task <paramref name="id"/> is held.</summary>
    public bool HoldsFinalReport(string id) => _terminal.ContainsKey(id);

    /// <summary>
    /// Applies the held reports in arrival order until the store fails again (one caller at a time: the retry loop or the
    /// backstop); returns how many were taken off the hold.
    /// </summary>
    public async Task<int> ApplyHeldAsync(CancellationToken cancellationToken)
    {
        await _applying.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var applied = 0;
            while (_held.TryPeek(out var next))
            {
                try
                {
                    await tasks.ApplyReportAsync(next.Id, next.Report, cancellationToken).ConfigureAwait(false);
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
                if (IsTerminal(next.Report))
                {
                    _terminal.AddOrUpdate(next.Id, 0, (_, n) => n - 1);
                    _terminal.TryRemove(new KeyValuePair<string, int>(next.Id, 0));
                }

                applied++;
                if (Interlocked.Decrement(ref _count) == 0)
                {
                    logger.StoreBack(applied);
                }
            }

            return applied;
        }
        finally
        {
            _applying.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RetryInterval, time, stoppingToken).ConfigureAwait(false);
                await ApplyHeldAsync(stoppingToken).ConfigureAwait(false);
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

    public override void Dispose()
    {
        _applying.Dispose();
        base.Dispose();
    }

    private static bool IsTerminal(TaskReport report) =>
        report.Status is TaskReportStatus.Succeeded or TaskReportStatus.Failed or TaskReportStatus.Canceled;
}
