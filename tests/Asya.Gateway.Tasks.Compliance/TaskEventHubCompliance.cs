using System.Text.Json.Nodes;

namespace Asya.Gateway.Tasks.Compliance;

/// <summary>The task event hub contract (<see cref="ITaskEventHub"/>), checked on every hub (one subclass each).</summary>
public abstract class TaskEventHubCompliance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, ITaskEventHubFixture
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected TFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Publish_OnPeer_SubscriberOfThatTaskSeesEventsInOrder()
    {
        var (a, b) = await Fixture.CreatePeersAsync(TaskEventFanout.DefaultFlyCapacity);
        await using var _ = a;
        await using var __ = b;
        var (t1, t2) = (NewTaskId(), NewTaskId());
        using var subscription = a.Subscribe(t1);
        using var other = a.Subscribe(t2);

        await b.PublishAsync(TaskEvent.ForUpdate(Update(t1, 2, TaskState.Running)), default);
        for (var i = 0; i < 10; i++)
        {
            await b.PublishAsync(TaskEvent.ForFly(t1, "llm", new JsonObject { ["text"] = $"w{i}" }), default);
        }

        await b.PublishAsync(TaskEvent.ForUpdate(Update(t1, 3, TaskState.Succeeded)), default);

        var events = await ReadUntilTerminalAsync(subscription);
        Assert.Equal(TaskEventKind.Status, events[0].Kind);
        Assert.Equal(2, events[0].Update!.Sequence);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"w{i}"), events[1..^1].Select(e => (string?)e.Data!["text"]));
        Assert.All(events[1..^1], e => Assert.Equal((t1, "llm"), (e.TaskId, e.Actor)));
        Assert.Equal(events[^1].Update, Update(t1, 3, TaskState.Succeeded));
        Assert.False(other.Events.TryRead(out var _));
    }

    [Fact]
    public async Task Publish_LargeEvent_ReachesPeerWhole()
    {
        var (a, b) = await Fixture.CreatePeersAsync(TaskEventFanout.DefaultFlyCapacity);
        await using var _ = a;
        await using var __ = b;
        var big = NewTaskId();
        using var subscription = a.Subscribe(big);
        var text = new string('é', 20_000);

        await b.PublishAsync(TaskEvent.ForFly(big, "llm", new JsonObject { ["text"] = text }), default);
        await b.PublishAsync(TaskEvent.ForUpdate(Update(big, 2, TaskState.Failed) with { Message = new string('m', 9000) }), default);

        var events = await ReadUntilTerminalAsync(subscription);
        Assert.Equal(text, (string?)events[0].Data!["text"]);
        Assert.Equal(9000, events[1].Update!.Message!.Length);
    }

    [Fact]
    public async Task Subscribe_ThenDispose_CountsBackToZeroAndStreamCompletes()
    {
        var (a, b) = await Fixture.CreatePeersAsync(TaskEventFanout.DefaultFlyCapacity);
        await using var _ = a;
        await using var __ = b;
        var id = NewTaskId();
        var first = a.Subscribe(id);
        var second = a.Subscribe(id);
        Assert.Equal(2, a.SubscriberCount);

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, a.SubscriberCount);
        second.Dispose();

        Assert.Equal(0, a.SubscriberCount);
        Assert.False(await first.Events.WaitToReadAsync().AsTask().WaitAsync(Patience));
        await first.Events.Completion.WaitAsync(Patience);
    }

    [Fact]
    public async Task FlyBurst_SubscriberNotReading_KeepsNewestFlyAndEveryStatus()
    {
        var (a, b) = await Fixture.CreatePeersAsync(flyCapacity: 10);
        await using var _ = a;
        await using var __ = b;
        var id = NewTaskId();
        using var subscription = a.Subscribe(id);

        await b.PublishAsync(TaskEvent.ForUpdate(Update(id, 2, TaskState.Running)), default);
        for (var i = 0; i < 1000; i++)
        {
            await b.PublishAsync(TaskEvent.ForFly(id, "llm", JsonValue.Create(i)), default);
        }

        await b.PublishAsync(TaskEvent.ForUpdate(Update(id, 3, TaskState.Succeeded)), default);

        // Read only once everything arrived: the terminal status is the last event and is never dropped.
        await Asya.Testing.Eventually.TrueAsync(
            () => Task.FromResult(subscription.Events.Count == 12), Patience, "the burst to reach the subscriber's buffer");
        var events = await ReadUntilTerminalAsync(subscription);
        Assert.Equal(990, subscription.DroppedFly);
        Assert.Equal(2, events[0].Update!.Sequence);
        Assert.Equal(Enumerable.Range(990, 10), events[1..^1].Select(e => (int)e.Data!));
        Assert.Equal(3, events[^1].Update!.Sequence);
    }

    [Fact]
    public async Task PublishBatch_OnPeer_ArrivesWholeAndInOrder()
    {
        var (a, b) = await Fixture.CreatePeersAsync(TaskEventFanout.DefaultFlyCapacity);
        await using var _ = a;
        await using var __ = b;
        var id = NewTaskId();
        using var subscription = a.Subscribe(id);
        // 300 events of ~120 bytes: more than one notification's worth on PostgreSQL, and one over the limit alone.
        var batch = Enumerable.Range(0, 300)
            .Select(i => TaskEvent.ForFly(id, "llm", new JsonObject { ["i"] = i, ["text"] = new string(i == 150 ? 'x' : 'w', i == 150 ? 9000 : 100) }))
            .Append(TaskEvent.ForUpdate(Update(id, 2, TaskState.Succeeded)))
            .ToList();

        await b.PublishBatchAsync(batch, default);

        var events = await ReadUntilTerminalAsync(subscription);
        Assert.Equal(Enumerable.Range(0, 300), events[..^1].Select(e => (int)e.Data!["i"]!));
        Assert.Equal(9000, ((string?)events[150].Data!["text"])!.Length);
    }

    [Fact]
    public async Task Subscribe_WithRecentFly_AfterPeerPublished_StartsWithTheTasksFlyInOrder()
    {
        var (a, b) = await Fixture.CreatePeersAsync(TaskEventFanout.DefaultFlyCapacity);
        await using var _ = a;
        await using var __ = b;
        var (id, other) = (NewTaskId(), NewTaskId());
        using var marker = a.Subscribe(id);

        await b.PublishBatchAsync([.. Enumerable.Range(0, 5).Select(i => TaskEvent.ForFly(id, "llm", JsonValue.Create(i)))], default);
        await b.PublishAsync(TaskEvent.ForFly(other, "llm", JsonValue.Create(99)), default);
        await b.PublishAsync(TaskEvent.ForFly(id, "llm", JsonValue.Create(5)), default);
        // Once the earlier subscriber got the last of them, this replica heard them all.
        await Asya.Testing.Eventually.TrueAsync(() => Task.FromResult(marker.Events.Count == 6), Patience, "the FLY events to reach replica A");

        using var late = a.Subscribe(id, withRecentFly: true);
        using var plain = a.Subscribe(id);
        await b.PublishAsync(TaskEvent.ForUpdate(Update(id, 2, TaskState.Succeeded)), default);

        Assert.Equal(Enumerable.Range(0, 6), late.RecentFly.Select(e => (int)e.Data!));
        Assert.Empty(plain.RecentFly);
        // What came after the subscription is in its events, not repeated.
        var events = await ReadUntilTerminalAsync(late);
        Assert.Single(events);
    }

    /// <summary>Ids no other test uses: a shared server's channel reaches every test run on it.</summary>
    protected static string NewTaskId() => "hub-" + Guid.NewGuid().ToString("N")[..12];

    protected static TaskUpdate Update(string taskId, long sequence, TaskState status) =>
        new(taskId, sequence, TaskEventKind.Status, status, 50, "x", "m", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static async Task<List<TaskEvent>> ReadUntilTerminalAsync(TaskSubscription subscription)
    {
        var events = new List<TaskEvent>();
        using var deadline = new CancellationTokenSource(Patience);
        await foreach (var e in subscription.Events.ReadAllAsync(deadline.Token))
        {
            events.Add(e);
            if (e.Update is { } update && TaskRules.IsTerminal(update.Status))
            {
                return events;
            }
        }

        throw new InvalidOperationException("the stream ended before a terminal status");
    }
}
