using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks;

/// <summary>
/// The one place that decides how a task changes (spec "Task store"): status order is monotonic, pending &lt; running
/// &lt; paused &lt; succeeded = failed = canceled, and a change to a lower or equal order is dropped, except paused → running
/// on resume; progress never decreases, is <c>(len(prev) + w) / (len(prev) + 1 + len(next)) × 100</c> with w = 0.1
/// received, 0.5 processing, 1.0 completed, and reaches 100 only when the task succeeds. Pure: stores call it inside
/// their transaction and persist what it returns.
/// </summary>
public static class TaskRules
{
    /// <summary>Non-terminal progress stays below this, so 100 always means "succeeded".</summary>
    public const double MaxRunningProgress = 99;

    public const string TimedOutMessage = "task timed out";

    public static int Order(TaskState state) => state switch
    {
        TaskState.Pending => 0,
        TaskState.Running => 1,
        TaskState.Paused => 2,
        _ => 3,
    };

    public static bool IsTerminal(TaskState state) => Order(state) == 3;

    /// <summary>The task status a reported status stands for: every hop phase means running.</summary>
    public static TaskState StateOf(TaskReportStatus status) => status switch
    {
        TaskReportStatus.Received or TaskReportStatus.Processing or TaskReportStatus.Completed => TaskState.Running,
        TaskReportStatus.Paused => TaskState.Paused,
        TaskReportStatus.Succeeded => TaskState.Succeeded,
        TaskReportStatus.Failed => TaskState.Failed,
        _ => TaskState.Canceled,
    };

    /// <summary>The hop weight w of the formula; x-pause has finished its hop when it reports paused.</summary>
    public static double Weight(TaskReportStatus status) => status switch
    {
        TaskReportStatus.Received => 0.1,
        TaskReportStatus.Processing => 0.5,
        _ => 1.0,
    };

    /// <summary>The formula's percentage for a route, rounded to 2 decimals, capped below 100 (not yet terminal).</summary>
    public static double Progress(Route route, double weight)
    {
        ArgumentNullException.ThrowIfNull(route);
        var total = route.Prev.Count + 1 + route.Next.Count;
        var percent = Math.Round((route.Prev.Count + weight) / total * 100, 2);
        return Math.Clamp(percent, 0, MaxRunningProgress);
    }

    /// <summary>A submitted task: pending, 0%, its deadline <see cref="NewTask.Timeout"/> after <paramref name="now"/>.</summary>
    public static MeshTask Create(NewTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new MeshTask
        {
            Id = task.Id,
            ParentId = task.ParentId,
            Flow = task.Flow,
            Route = task.Route,
            Payload = task.Payload,
            CreatedAt = now,
            UpdatedAt = now,
            Deadline = task.Timeout is { } timeout ? now + timeout : null,
        };
    }

    /// <summary>The first update of a created task (sequence 1).</summary>
    public static TaskUpdate Created(MeshTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskUpdate(task.Id, 1, TaskEventKind.Status, task.Status, task.Progress, task.Actor, "created", task.CreatedAt);
    }

    /// <summary>
    /// What a store does with <paramref name="transition"/> decided for the task it holds at <paramref name="sequence"/>:
    /// <see cref="TaskChangeOutcome.Applied"/> with the update to write (the next sequence), or nothing to write
    /// (unchanged, or a conflict for calls that must change the task, such as resume).
    /// </summary>
    public static TaskChange Outcome(MeshTask task, long sequence, TaskTransition? transition, bool conflictWhenRefused, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (transition is null)
        {
            return conflictWhenRefused ? TaskChange.Conflict(task) : TaskChange.Unchanged(task);
        }

        var next = transition.Task;
        var update = new TaskUpdate(task.Id, sequence + 1, transition.Kind, next.Status, next.Progress, next.Actor, transition.Message, now);
        return new TaskChange(TaskChangeOutcome.Applied, next, update);
    }

    /// <summary>How a sidecar's status report changes the task, or null when it is dropped (FLY reports are never stored).</summary>
    public static TaskTransition? Apply(MeshTask task, TaskReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Type != TaskReportType.Status || report.Status is not { } reported || IsTerminal(task.Status))
        {
            return null;
        }

        var status = StateOf(reported);
        var progress = status == TaskState.Succeeded ? 100
            : report.Route is { } route && status is TaskState.Running or TaskState.Paused ? Math.Max(task.Progress, Progress(route, Weight(reported)))
            : task.Progress;
        if (Order(status) < Order(task.Status) || (status == task.Status && (status != TaskState.Running || progress <= task.Progress)))
        {
            // Stale or repeated; the one equal-order change kept is a running task moving on.
            return null;
        }

        var next = task with
        {
            Status = status,
            Progress = progress,
            Actor = report.Actor ?? task.Actor,
            Route = report.Route ?? task.Route,
            Result = status == TaskState.Succeeded ? report.Result : task.Result,
            Error = status == TaskState.Failed ? report.Error : task.Error,
            UpdatedAt = now,
        };
        if (status == TaskState.Paused)
        {
            next = next with { PauseMetadata = report.PauseMetadata, RemainingWhilePaused = Remaining(task, now) };
        }

        return new TaskTransition(next, status == task.Status ? TaskEventKind.Progress : TaskEventKind.Status, report.Message);
    }

    /// <summary>Cancel: any unfinished task becomes canceled; a finished one is left as it is (null).</summary>
    public static TaskTransition? Cancel(MeshTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return IsTerminal(task.Status)
            ? null
            : new TaskTransition(Unpause(task) with { Status = TaskState.Canceled, UpdatedAt = now }, TaskEventKind.Status, "canceled");
    }

    /// <summary>Resume: paused → running with the deadline restarted from the time that was left; null for any other status.</summary>
    public static TaskTransition? Resume(MeshTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Status != TaskState.Paused
            ? null
            : new TaskTransition(
                Unpause(task) with
                {
                    Status = TaskState.Running,
                    Deadline = task.RemainingWhilePaused is { } left ? now + left : task.Deadline,
                    UpdatedAt = now,
                },
                TaskEventKind.Status,
                "resumed");
    }

    /// <summary>The backstop: a pending or running task past its deadline fails; null otherwise (paused clocks are stopped).</summary>
    public static TaskTransition? TimeOut(MeshTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return IsPastDeadline(task, now)
            ? new TaskTransition(
                task with { Status = TaskState.Failed, Error = JsonValue.Create(TimedOutMessage), UpdatedAt = now }, TaskEventKind.Status, TimedOutMessage)
            : null;
    }

    public static bool IsPastDeadline(MeshTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Status is TaskState.Pending or TaskState.Running && task.Deadline is { } deadline && deadline <= now;
    }

    private static TimeSpan? Remaining(MeshTask task, DateTimeOffset now) =>
        task.Deadline is { } deadline ? deadline > now ? deadline - now : TimeSpan.Zero : null;

    private static MeshTask Unpause(MeshTask task) =>
        task.Status == TaskState.Paused ? task with { PauseMetadata = null, RemainingWhilePaused = null } : task;
}
