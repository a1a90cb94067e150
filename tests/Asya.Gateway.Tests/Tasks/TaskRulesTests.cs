using System.Text.Json.Nodes;
using Asya.Gateway.Tasks;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tests.Tasks;

public sealed class TaskRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Actors = ["a", "b", "c"];

    /// <summary>
    /// Every (current status, reported status) pair: what the task becomes and which update is stored, or null when the
    /// report is dropped. The task is at 0% and the report comes from the middle actor, so a hop always raises progress.
    /// </summary>
    public static TheoryData<TaskState, TaskReportStatus, TaskState?, TaskEventKind?> StatusPairs()
    {
        var data = new TheoryData<TaskState, TaskReportStatus, TaskState?, TaskEventKind?>();
        foreach (var current in Enum.GetValues<TaskState>())
        {
            foreach (var reported in Enum.GetValues<TaskReportStatus>())
            {
                var target = TaskRules.StateOf(reported);
                var (status, kind) = current switch
                {
                    TaskState.Succeeded or TaskState.Failed or TaskState.Canceled => ((TaskState?)null, (TaskEventKind?)null),
                    TaskState.Running when target == TaskState.Running => (TaskState.Running, TaskEventKind.Progress),
                    _ when TaskRules.Order(target) > TaskRules.Order(current) => (target, TaskEventKind.Status),
                    _ => (null, null),
                };
                data.Add(current, reported, status, kind);
            }
        }

        return data;
    }

    [Fact]
    public void StatusPairs_CoverEveryPairWithTheSpecOutcomes()
    {
        var rows = StatusPairs().Select(row => ((TaskState)row[0], (TaskReportStatus)row[1], (TaskState?)row[2])).ToList();

        // 6 task states × 8 reported statuses (running and its three hop phases, paused, the three terminal ones).
        Assert.Equal(6 * 8, rows.Count);
        // Spot checks written out, so the table's generator cannot drift from the spec unnoticed.
        Assert.Contains((TaskState.Pending, TaskReportStatus.Received, (TaskState?)TaskState.Running), rows);
        Assert.Contains((TaskState.Pending, TaskReportStatus.Running, (TaskState?)TaskState.Running), rows);
        Assert.Contains((TaskState.Running, TaskReportStatus.Running, (TaskState?)TaskState.Running), rows);
        Assert.Contains((TaskState.Paused, TaskReportStatus.Processing, (TaskState?)null), rows);
        Assert.Contains((TaskState.Paused, TaskReportStatus.Paused, (TaskState?)null), rows);
        Assert.Contains((TaskState.Paused, TaskReportStatus.Failed, (TaskState?)TaskState.Failed), rows);
        Assert.Contains((TaskState.Running, TaskReportStatus.Canceled, (TaskState?)TaskState.Canceled), rows);
        Assert.Contains((TaskState.Succeeded, TaskReportStatus.Failed, (TaskState?)null), rows);
        Assert.Contains((TaskState.Canceled, TaskReportStatus.Succeeded, (TaskState?)null), rows);
        Assert.Contains((TaskState.Failed, TaskReportStatus.Received, (TaskState?)null), rows);
    }

    [Theory]
    [MemberData(nameof(StatusPairs))]
    public void Apply_StatusPair_MonotonicOrder(TaskState current, TaskReportStatus reported, TaskState? expected, TaskEventKind? kind)
    {
        var task = Task(current, progress: 0);

        var transition = TaskRules.Apply(task, Hop(reported, 1), Now);

        Assert.Equal(expected, transition?.Task.Status);
        Assert.Equal(kind, transition?.Kind);
        if (transition is not null)
        {
            Assert.Equal((Now, "b"), (transition.Task.UpdatedAt, transition.Task.Actor));
        }
    }

    [Theory]
    [InlineData(0, 2, 0.1, 3.33)]
    [InlineData(0, 2, 0.5, 16.67)]
    [InlineData(0, 2, 1.0, 33.33)]
    [InlineData(1, 1, 0.1, 36.67)]
    [InlineData(1, 1, 0.5, 50)]
    [InlineData(1, 1, 1.0, 66.67)]
    [InlineData(3, 0, 0.1, 77.5)]
    [InlineData(0, 0, 0.5, 50)]
    [InlineData(2, 0, 1.0, 99)] // the last actor completed: 100 is kept for the terminal status
    [InlineData(0, 0, 1.0, 99)]
    public void Progress_Formula_WithHopWeight(int prev, int next, double weight, double expected)
    {
        var route = new Route { Prev = [.. Enumerable.Repeat("p", prev)], Curr = "c", Next = [.. Enumerable.Repeat("n", next)] };

        Assert.Equal(expected, TaskRules.Progress(route, weight));
    }

    [Theory]
    [InlineData(TaskReportStatus.Received, 0.1)]
    [InlineData(TaskReportStatus.Processing, 0.5)]
    [InlineData(TaskReportStatus.Completed, 1.0)]
    public void Weight_HopPhases(TaskReportStatus status, double weight) => Assert.Equal(weight, TaskRules.Weight(status));

    [Fact]
    public void Apply_HopsOfOneTask_ProgressRisesAndStopsBelow100UntilSucceeded()
    {
        var task = Task(TaskState.Pending, progress: 0);
        var seen = new List<double>();
        foreach (var index in new[] { 0, 1, 2 })
        {
            foreach (var phase in new[] { TaskReportStatus.Received, TaskReportStatus.Processing, TaskReportStatus.Completed })
            {
                task = TaskRules.Apply(task, Hop(phase, index), Now)!.Task;
                seen.Add(task.Progress);
            }
        }

        var done = TaskRules.Apply(task, new TaskReport { Status = TaskReportStatus.Succeeded, Result = JsonNode.Parse("{}") }, Now)!;

        Assert.Equal([3.33, 16.67, 33.33, 36.67, 50, 66.67, 70, 83.33, 99], seen);
        Assert.Equal((TaskState.Succeeded, 100.0, "{}"), (done.Task.Status, done.Task.Progress, done.Task.Result!.ToJsonString()));
    }

    [Fact]
    public void Apply_LowerProgress_DroppedWhileRunningAndKeptWhenStatusRises()
    {
        var task = Task(TaskState.Running, progress: 60);

        Assert.Null(TaskRules.Apply(task, Hop(TaskReportStatus.Received, 0), Now));
        var paused = TaskRules.Apply(task, Hop(TaskReportStatus.Paused, 0), Now)!;
        var failed = TaskRules.Apply(task, new TaskReport { Status = TaskReportStatus.Failed, Error = JsonValue.Create("x") }, Now)!;

        Assert.Equal((TaskState.Paused, 60.0), (paused.Task.Status, paused.Task.Progress));
        Assert.Equal((TaskState.Failed, 60.0, "\"x\""), (failed.Task.Status, failed.Task.Progress, failed.Task.Error!.ToJsonString()));
    }

    [Fact]
    public void Apply_FlyOrNoStatus_NeverStored()
    {
        var task = Task(TaskState.Running, progress: 0);

        Assert.Null(TaskRules.Apply(task, new TaskReport { Type = TaskReportType.Fly, Status = TaskReportStatus.Succeeded }, Now));
        Assert.Null(TaskRules.Apply(task, new TaskReport(), Now));
    }

    [Fact]
    public void Apply_Paused_KeepsMetadataAndRemainingTime()
    {
        var task = Task(TaskState.Running, progress: 10) with { Deadline = Now + TimeSpan.FromSeconds(90) };
        var metadata = JsonNode.Parse("""{"prompt":"ok?"}""");

        var paused = TaskRules.Apply(task, Hop(TaskReportStatus.Paused, 1) with { PauseMetadata = metadata }, Now)!.Task;

        Assert.Equal(TimeSpan.FromSeconds(90), paused.RemainingWhilePaused);
        Assert.Same(metadata, paused.PauseMetadata);
        Assert.Equal(66.67, paused.Progress);
    }

    [Theory]
    [InlineData(TaskState.Pending)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Succeeded)]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Canceled)]
    public void Resume_NotPaused_Refused(TaskState status) => Assert.Null(TaskRules.Resume(Task(status, 0), Now));

    [Fact]
    public void Resume_Paused_RunningWithDeadlineRestartedFromRemainingTime()
    {
        var paused = Task(TaskState.Paused, 40) with
        {
            Deadline = Now - TimeSpan.FromHours(1), RemainingWhilePaused = TimeSpan.FromSeconds(30), PauseMetadata = JsonNode.Parse("{}"),
        };

        var resumed = TaskRules.Resume(paused, Now)!;

        Assert.Equal((TaskState.Running, TaskEventKind.Status, "resumed"), (resumed.Task.Status, resumed.Kind, resumed.Message));
        Assert.Equal(Now + TimeSpan.FromSeconds(30), resumed.Task.Deadline);
        Assert.Null(resumed.Task.RemainingWhilePaused);
        Assert.Null(resumed.Task.PauseMetadata);
        Assert.Equal(40, resumed.Task.Progress);
    }

    [Theory]
    [InlineData(TaskState.Pending, true)]
    [InlineData(TaskState.Running, true)]
    [InlineData(TaskState.Paused, true)]
    [InlineData(TaskState.Succeeded, false)]
    [InlineData(TaskState.Failed, false)]
    [InlineData(TaskState.Canceled, false)]
    public void Cancel_OnlyUnfinished(TaskState status, bool canceled)
    {
        var transition = TaskRules.Cancel(Task(status, 20), Now);

        Assert.Equal(canceled ? TaskState.Canceled : null, transition?.Task.Status);
    }

    [Theory]
    [InlineData(TaskState.Pending, -1, true)]
    [InlineData(TaskState.Running, 0, true)]
    [InlineData(TaskState.Running, 1, false)]
    [InlineData(TaskState.Paused, -1, false)]
    [InlineData(TaskState.Succeeded, -1, false)]
    public void TimeOut_OnlyPendingOrRunningPastDeadline(TaskState status, int deadlineOffsetSeconds, bool timesOut)
    {
        var task = Task(status, 0) with { Deadline = Now + TimeSpan.FromSeconds(deadlineOffsetSeconds) };

        var transition = TaskRules.TimeOut(task, Now);

        Assert.Equal(timesOut, transition is not null);
        if (transition is not null)
        {
            Assert.Equal((TaskState.Failed, "\"task timed out\""), (transition.Task.Status, transition.Task.Error!.ToJsonString()));
        }
    }

    [Fact]
    public void TimeOut_NoDeadline_Never() => Assert.Null(TaskRules.TimeOut(Task(TaskState.Running, 0), Now.AddYears(10)));

    private static MeshTask Task(TaskState status, double progress) => new()
    {
        Id = "t", Status = status, Progress = progress, Route = Route(0), CreatedAt = Now, UpdatedAt = Now,
    };

    [Theory]
    [InlineData(TaskReportStatus.Received, 36.67)]
    [InlineData(TaskReportStatus.Processing, 50)]
    [InlineData(TaskReportStatus.Completed, 66.67)]
    [InlineData(null, 36.67)]
    public void Apply_RunningWithPhase_WeighsThePhase(TaskReportStatus? phase, double expected)
    {
        var report = Hop(TaskReportStatus.Running, 1) with { Phase = phase };

        var transition = TaskRules.Apply(Task(TaskState.Running, progress: 0), report, Now);

        Assert.Equal(expected, transition!.Task.Progress);
    }

    [Fact]
    public void Apply_RunningWithANonHopPhase_IsDropped() =>
        Assert.Null(TaskRules.Apply(Task(TaskState.Running, progress: 0), Hop(TaskReportStatus.Running, 1) with { Phase = TaskReportStatus.Succeeded }, Now));

    private static TaskReport Hop(TaskReportStatus status, int index) => new() { Status = status, Actor = Actors[index], Route = Route(index) };

    private static Route Route(int index) => new() { Prev = [.. Actors[..index]], Curr = Actors[index], Next = [.. Actors[(index + 1)..]] };
}
