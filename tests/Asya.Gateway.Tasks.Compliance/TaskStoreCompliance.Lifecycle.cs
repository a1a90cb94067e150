using System.Text.Json.Nodes;

namespace Asya.Gateway.Tasks.Compliance;

/// <summary>Cancel, pause and resume, and the deadline backstop's queries.</summary>
public abstract partial class TaskStoreCompliance<TFixture>
{
    [Fact]
    public async Task Cancel_UnfinishedThenAgain_CanceledOnceThenUnchanged()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x"]), default);

        var first = await store.CancelAsync("a", default);
        var second = await store.CancelAsync("a", default);

        Assert.Equal((TaskChangeOutcome.Applied, TaskState.Canceled), (first.Outcome, first.Task!.Status));
        Assert.Equal((TaskChangeOutcome.Unchanged, TaskState.Canceled), (second.Outcome, second.Task!.Status));
        Assert.Equal(2, (await store.GetUpdatesAsync("a", 0, default)).Count);
    }

    [Fact]
    public async Task Cancel_FinishedTask_UnchangedNothingStored()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x"]), default);
        await store.ApplyReportAsync("a", new TaskReport { Status = TaskReportStatus.Succeeded, Result = JsonNode.Parse("1") }, default);
        var before = await store.GetAsync("a", default);

        var change = await store.CancelAsync("a", default);

        Assert.Equal(TaskChangeOutcome.Unchanged, change.Outcome);
        var after = await store.GetAsync("a", default);
        Assert.Equal((TaskState.Succeeded, before!.UpdatedAt, 100.0), (after!.Status, after.UpdatedAt, after.Progress));
        Assert.Equal(2, (await store.GetUpdatesAsync("a", 0, default)).Count);
    }

    [Fact]
    public async Task Resume_PausedTask_RunningOnceSecondIsConflict()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x", "x-pause", "y"]), default);
        var metadata = JsonNode.Parse("""{"prompt":"Approve?","fields":[{"name":"approved"}]}""");
        var paused = await store.ApplyReportAsync(
            "a", Report(TaskReportStatus.Paused, ["x", "x-pause", "y"], 1) with { PauseMetadata = metadata }, default);

        var first = await store.ResumeAsync("a", default);
        var second = await store.ResumeAsync("a", default);

        Assert.Equal((TaskState.Paused, """{"prompt":"Approve?","fields":[{"name":"approved"}]}"""), (paused.Task!.Status, paused.Task.PauseMetadata!.ToJsonString()));
        Assert.Equal((TaskChangeOutcome.Applied, TaskState.Running), (first.Outcome, first.Task!.Status));
        Assert.Null(first.Task.PauseMetadata);
        Assert.Equal((TaskChangeOutcome.Conflict, TaskState.Running), (second.Outcome, second.Task!.Status));
    }

    [Fact]
    public async Task Resume_NotPaused_Conflict()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x"]), default);

        Assert.Equal(TaskChangeOutcome.Conflict, (await store.ResumeAsync("a", default)).Outcome);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x"], 0), default);
        Assert.Equal(TaskChangeOutcome.Conflict, (await store.ResumeAsync("a", default)).Outcome);
    }

    [Fact]
    public async Task Resume_Concurrent_ExactlyOneWins()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x-pause", "y"]), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Paused, ["x-pause", "y"], 0), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ResumeAsync("a", default))));

        Assert.Equal(1, results.Count(r => r.Outcome == TaskChangeOutcome.Applied));
        Assert.Equal(7, results.Count(r => r.Outcome == TaskChangeOutcome.Conflict));
        Assert.Single(await store.GetUpdatesAsync("a", 0, default), u => u.Message == "resumed");
    }

    [Fact]
    public async Task PastDeadline_OnlyPendingOrRunningTasksWhoseDeadlinePassed()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("soon", ["x"]) with { Timeout = TimeSpan.FromSeconds(10) }, default);
        await store.CreateAsync(NewTask("sooner", ["x"]) with { Timeout = TimeSpan.FromSeconds(5) }, default);
        await store.CreateAsync(NewTask("late", ["x"]) with { Timeout = TimeSpan.FromMinutes(10) }, default);
        await store.CreateAsync(NewTask("never", ["x"]), default);
        await store.CreateAsync(NewTask("done", ["x"]) with { Timeout = TimeSpan.FromSeconds(1) }, default);
        await store.ApplyReportAsync("soon", Report(TaskReportStatus.Received, ["x"], 0), default);
        await store.ApplyReportAsync("done", new TaskReport { Status = TaskReportStatus.Succeeded }, default);

        Assert.Empty(await store.ListPastDeadlineAsync(10, default));
        Fixture.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["sooner", "soon"], await store.ListPastDeadlineAsync(10, default));
        Assert.Equal(["sooner"], await store.ListPastDeadlineAsync(1, default));
        var timedOut = await store.TimeOutAsync("soon", default);
        Assert.Equal((TaskChangeOutcome.Applied, TaskState.Failed, TaskRules.TimedOutMessage), (timedOut.Outcome, timedOut.Task!.Status, timedOut.Update!.Message));
        Assert.Equal(TaskChangeOutcome.Unchanged, (await store.TimeOutAsync("late", default)).Outcome);
        Assert.Equal(["sooner"], await store.ListPastDeadlineAsync(10, default));
    }

    [Fact]
    public async Task PastDeadline_PausedClockStopsAndRestartsOnResume()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x-pause", "y"]) with { Timeout = TimeSpan.FromSeconds(60) }, default);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(20));
        var paused = await store.ApplyReportAsync("a", Report(TaskReportStatus.Paused, ["x-pause", "y"], 0), default);

        Fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await store.ListPastDeadlineAsync(10, default));
        Assert.Equal(TaskChangeOutcome.Unchanged, (await store.TimeOutAsync("a", default)).Outcome);
        var resumed = await store.ResumeAsync("a", default);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(39));
        var before = await store.ListPastDeadlineAsync(10, default);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(40), paused.Task!.RemainingWhilePaused);
        Assert.Equal(Fixture.Clock.GetUtcNow(), resumed.Task!.Deadline);
        Assert.Null(resumed.Task.RemainingWhilePaused);
        Assert.Empty(before);
        Assert.Equal(["a"], await store.ListPastDeadlineAsync(10, default));
    }
}
