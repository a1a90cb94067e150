using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tasks.Compliance;

/// <summary>The task store contract (<see cref="ITaskStore"/>), checked on every store (one subclass each).</summary>
public abstract partial class TaskStoreCompliance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, ITaskStoreFixture
{
    protected TFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Create_ThenGet_ReturnsPendingTaskWithInputAndDeadline()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        var now = Fixture.Clock.GetUtcNow();

        var created = await store.CreateAsync(
            NewTask("a", ["x", "y"]) with { ParentId = "p", Flow = "f", Payload = JsonNode.Parse("""{"text":"hi","n":[1,2]}"""), Timeout = TimeSpan.FromMinutes(2) },
            default);
        var read = await store.GetAsync("a", default);

        Assert.NotNull(read);
        Assert.Equal(TaskState.Pending, read.Status);
        Assert.Equal("p", read.ParentId);
        Assert.Equal("f", read.Flow);
        Assert.Equal("x", read.Route.Curr);
        Assert.Equal(["y"], read.Route.Next);
        Assert.Equal("""{"text":"hi","n":[1,2]}""", read.Payload!.ToJsonString());
        Assert.Equal(0, read.Progress);
        Assert.Equal(now, read.CreatedAt);
        Assert.Equal(now + TimeSpan.FromMinutes(2), read.Deadline);
        Assert.Equal(created.Deadline, read.Deadline);
        var update = Assert.Single(await store.GetUpdatesAsync("a", 0, default));
        Assert.Equal((1L, TaskEventKind.Status, TaskState.Pending), (update.Sequence, update.Kind, update.Status));
    }

    [Fact]
    public async Task Create_ExistingId_ThrowsAndKeepsTheFirst()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x"]) with { Flow = "first" }, default);

        var error = await Assert.ThrowsAsync<DuplicateTaskException>(() => store.CreateAsync(NewTask("a", ["x"]) with { Flow = "second" }, default));

        Assert.Equal("a", error.TaskId);
        Assert.Equal("first", (await store.GetAsync("a", default))!.Flow);
    }

    [Fact]
    public async Task Get_UnknownId_ReturnsNullAndChangesAreNotFound()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());

        Assert.Null(await store.GetAsync("missing", default));
        Assert.Equal(TaskChangeOutcome.NotFound, (await store.ApplyReportAsync("missing", Report(TaskReportStatus.Received, ["x"], 0), default)).Outcome);
        Assert.Equal(TaskChangeOutcome.NotFound, (await store.CancelAsync("missing", default)).Outcome);
        Assert.Equal(TaskChangeOutcome.NotFound, (await store.ResumeAsync("missing", default)).Outcome);
        Assert.Empty(await store.GetUpdatesAsync("missing", 0, default));
    }

    [Fact]
    public async Task List_NewestFirstWithTotalLimitAndOffset()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        for (var i = 0; i < 5; i++)
        {
            await store.CreateAsync(NewTask($"t{i}", ["x"]), default);
            Fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await store.ListAsync(new TaskQuery(), default);
        var page = await store.ListAsync(new TaskQuery(Limit: 2, Offset: 1), default);

        Assert.Equal(["t4", "t3", "t2", "t1", "t0"], all.Tasks.Select(t => t.Id));
        Assert.Equal(5, all.Total);
        Assert.Equal(["t3", "t2"], page.Tasks.Select(t => t.Id));
        Assert.Equal(5, page.Total);
    }

    [Fact]
    public async Task List_ByStatusAndFlow_CountsOnlyMatches()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x"]) with { Flow = "f" }, default);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync(NewTask("b", ["x"]) with { Flow = "f" }, default);
        Fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await store.CreateAsync(NewTask("c", ["x"]) with { Flow = "g" }, default);
        await store.CancelAsync("a", default);

        var pendingF = await store.ListAsync(new TaskQuery(TaskState.Pending, "f"), default);
        var canceled = await store.ListAsync(new TaskQuery(TaskState.Canceled), default);
        var flowF = await store.ListAsync(new TaskQuery(Flow: "f"), default);

        Assert.Equal(("b", 1L), (string.Join(",", pendingF.Tasks.Select(t => t.Id)), pendingF.Total));
        Assert.Equal(("a", 1L), (string.Join(",", canceled.Tasks.Select(t => t.Id)), canceled.Total));
        Assert.Equal(("b,a", 2L), (string.Join(",", flowF.Tasks.Select(t => t.Id)), flowF.Total));
    }

    [Fact]
    public async Task ApplyReport_HopsThenSuccess_ProgressRisesAndEachChangeIsOneUpdate()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x", "y"]), default);

        var received = await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x", "y"], 0), default);
        var processing = await store.ApplyReportAsync("a", Report(TaskReportStatus.Processing, ["x", "y"], 0), default);
        var next = await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x", "y"], 1), default);
        var done = await store.ApplyReportAsync(
            "a", new TaskReport { Status = TaskReportStatus.Succeeded, Actor = "x-sink", Result = JsonNode.Parse("""{"ok":true}""") }, default);

        Assert.Equal([TaskChangeOutcome.Applied, TaskChangeOutcome.Applied, TaskChangeOutcome.Applied, TaskChangeOutcome.Applied],
            new[] { received, processing, next, done }.Select(c => c.Outcome));
        Assert.Equal((TaskState.Running, 5.0), (received.Task!.Status, received.Task.Progress));
        Assert.Equal(25.0, processing.Task!.Progress);
        Assert.Equal(55.0, next.Task!.Progress);
        var task = await store.GetAsync("a", default);
        Assert.Equal((TaskState.Succeeded, 100.0, "x-sink"), (task!.Status, task.Progress, task.Actor));
        Assert.Equal("""{"ok":true}""", task.Result!.ToJsonString());
        var updates = await store.GetUpdatesAsync("a", 0, default);
        Assert.Equal([1L, 2, 3, 4, 5], updates.Select(u => u.Sequence));
        Assert.Equal(
            [TaskEventKind.Status, TaskEventKind.Status, TaskEventKind.Progress, TaskEventKind.Progress, TaskEventKind.Status],
            updates.Select(u => u.Kind));
        Assert.Equal([0, 5, 25, 55, 100.0], updates.Select(u => u.Progress));
        Assert.Equal(done.Update, updates[^1]);
    }

    [Fact]
    public async Task StoredKinds_AreTheSharedColumnText()
    {
        var name = Fixture.NewName();
        await using var store = await Fixture.OpenAsync(name);
        await store.CreateAsync(NewTask("a", ["x"]), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x"], 0), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Processing, ["x"], 0), default);

        // Every store writes the one definition, so a row written by one reads the same in the other.
        Assert.Equal(["status", "status", "progress"], await Fixture.ReadStoredKindsAsync(name, "a"));
    }

    [Fact]
    public async Task ApplyReport_StaleOrAfterTerminal_UnchangedAndNothingStored()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x", "y"]), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Processing, ["x", "y"], 1), default);

        var stale = await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x", "y"], 0), default);
        await store.ApplyReportAsync("a", new TaskReport { Status = TaskReportStatus.Failed, Error = JsonValue.Create("boom") }, default);
        var late = await store.ApplyReportAsync("a", Report(TaskReportStatus.Completed, ["x", "y"], 1), default);
        var fly = await store.ApplyReportAsync("a", new TaskReport { Type = TaskReportType.Fly, Data = JsonNode.Parse("{}") }, default);

        Assert.Equal(TaskChangeOutcome.Unchanged, stale.Outcome);
        Assert.Equal(TaskChangeOutcome.Unchanged, late.Outcome);
        Assert.Equal(TaskChangeOutcome.Unchanged, fly.Outcome);
        Assert.Equal(TaskState.Failed, late.Task!.Status);
        Assert.Equal("\"boom\"", late.Task.Error!.ToJsonString());
        Assert.Equal(3, (await store.GetUpdatesAsync("a", 0, default)).Count);
    }

    [Fact]
    public async Task ApplyReport_ConcurrentHops_EveryChangeStoredOnceInSequence()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        string[] route = [.. Enumerable.Range(0, 20).Select(i => $"a{i}")];
        await store.CreateAsync(NewTask("a", route), default);

        var changes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => store.ApplyReportAsync("a", Report(TaskReportStatus.Received, route, i), default))));

        var updates = await store.GetUpdatesAsync("a", 0, default);
        var applied = changes.Where(c => c.Outcome == TaskChangeOutcome.Applied).Select(c => c.Update!).OrderBy(u => u.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, updates.Count).Select(i => (long)i), updates.Select(u => u.Sequence));
        Assert.Equal(applied, updates.Skip(1));
        Assert.Equal(updates.Select(u => u.Progress).Order(), updates.Select(u => u.Progress));
        Assert.Equal(TaskRules.Progress(Route(route, 19), 0.1), (await store.GetAsync("a", default))!.Progress);
    }

    [Fact]
    public async Task GetUpdates_AfterSequence_ReplaysOnlyLaterOnesInOrder()
    {
        await using var store = await Fixture.OpenAsync(Fixture.NewName());
        await store.CreateAsync(NewTask("a", ["x", "y"]), default);
        await store.CreateAsync(NewTask("b", ["x"]), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Received, ["x", "y"], 0), default);
        await store.ApplyReportAsync("b", Report(TaskReportStatus.Received, ["x"], 0), default);
        await store.ApplyReportAsync("a", Report(TaskReportStatus.Completed, ["x", "y"], 0) with { Message = "done x" }, default);
        await store.CancelAsync("a", default);

        var after2 = await store.GetUpdatesAsync("a", 2, default);
        var afterLast = await store.GetUpdatesAsync("a", 4, default);

        Assert.Equal([3L, 4], after2.Select(u => u.Sequence));
        Assert.Equal("done x", after2[0].Message);
        Assert.Equal(TaskState.Canceled, after2[1].Status);
        Assert.All(after2, u => Assert.Equal("a", u.TaskId));
        Assert.Empty(afterLast);
    }

    [Fact]
    public async Task Reopen_SameStorage_KeepsTasksAndUpdates()
    {
        var name = Fixture.NewName();
        await using (var store = await Fixture.OpenAsync(name))
        {
            await store.CreateAsync(NewTask("a", ["x"]) with { Payload = JsonNode.Parse("[1]") }, default);
            await store.ApplyReportAsync("a", Report(TaskReportStatus.Processing, ["x"], 0), default);
        }

        await using var reopened = await Fixture.OpenAsync(name);

        var task = await reopened.GetAsync("a", default);
        Assert.Equal((TaskState.Running, "[1]"), (task!.Status, task.Payload!.ToJsonString()));
        Assert.Equal(2, (await reopened.GetUpdatesAsync("a", 0, default)).Count);
        var next = await reopened.CancelAsync("a", default);
        Assert.Equal(3, next.Update!.Sequence);
    }

    protected static NewTask NewTask(string id, string[] actors) => new() { Id = id, Route = Asya.Runtime.Protocol.Route.Start(actors) };

    /// <summary>A hop report of the actor at <paramref name="index"/> of <paramref name="actors"/>.</summary>
    protected static TaskReport Report(TaskReportStatus status, string[] actors, int index) =>
        new() { Status = status, Actor = actors[index], Route = Route(actors, index) };

    protected static Route Route(string[] actors, int index) =>
        new() { Prev = [.. actors[..index]], Curr = actors[index], Next = [.. actors[(index + 1)..]] };
}
