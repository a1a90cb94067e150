using System.Text.Json.Nodes;
using Asya.Gateway.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Gateway.Tests.Tasks;

/// <summary>The replica's memory of recent FLY events: bounded per task and overall, forgotten after a terminal status's grace.</summary>
public sealed class RecentFlyEventsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Record_OverPerTaskBound_KeepsNewestAndCountsTheDropped()
    {
        var recent = new RecentFlyEvents(_time, perTask: 3, total: 100);

        for (var i = 0; i < 5; i++)
        {
            recent.Record(Fly("t", i));
        }

        Assert.Equal([2, 3, 4], recent.Of("t").Select(e => (int)e.Data!));
        Assert.Equal(2, recent.Dropped);
        Assert.Equal(3, recent.Count);
    }

    [Fact]
    public void Record_OverTotalBound_OldestTasksOldestEventGoesFirst()
    {
        var recent = new RecentFlyEvents(_time, perTask: 3, total: 4);
        recent.Record(Fly("old", 0));
        recent.Record(Fly("old", 1));
        recent.Record(Fly("new", 0));
        recent.Record(Fly("new", 1));

        recent.Record(Fly("new", 2));
        recent.Record(Fly("newest", 0));

        Assert.Empty(recent.Of("old"));
        Assert.Equal([0, 1, 2], recent.Of("new").Select(e => (int)e.Data!));
        Assert.Equal([0], recent.Of("newest").Select(e => (int)e.Data!));
        Assert.Equal(2, recent.Dropped);
        Assert.Equal(4, recent.Count);
    }

    [Fact]
    public void TerminalStatus_KeptThroughTheGraceThenForgotten_LateFlyNotKept()
    {
        var recent = new RecentFlyEvents(_time, grace: TimeSpan.FromSeconds(10));
        recent.Record(Fly("t", 0));
        recent.Record(Fly("other", 0));
        recent.Record(TaskEvent.ForUpdate(new TaskUpdate("t", 5, TaskEventKind.Status, TaskState.Succeeded, 100, "x-sink", null, _time.GetUtcNow())));
        recent.Record(Fly("t", 1));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal([0], recent.Of("t").Select(e => (int)e.Data!));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(recent.Of("t"));
        Assert.Single(recent.Of("other"));
        Assert.Equal(1, recent.Count);
        Assert.Equal(0, recent.Dropped);
    }

    [Fact]
    public void RunningStatus_KeepsTheTasksEvents()
    {
        var recent = new RecentFlyEvents(_time, grace: TimeSpan.FromSeconds(1));
        recent.Record(Fly("t", 0));
        recent.Record(TaskEvent.ForUpdate(new TaskUpdate("t", 2, TaskEventKind.Status, TaskState.Running, 10, "a", null, _time.GetUtcNow())));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Single(recent.Of("t"));
    }

    private static TaskEvent Fly(string taskId, int i) => TaskEvent.ForFly(taskId, "llm", JsonValue.Create(i));
}
