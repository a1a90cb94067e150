using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Asya.Gateway.Tasks;
using Asya.Gateway.Tests.Infrastructure;

namespace Asya.Gateway.Tests.Api;

/// <summary><c>GET /api/v1/mesh/{id}/events</c>: first state, live events, close at terminal, replay, keepalive, cleanup.</summary>
public sealed class EventStreamTests
{
    private const string Hop = """{"prev":["tokenize"],"curr":"judge","next":["store"]}""";

    [Fact]
    public async Task Events_FirstCurrentStateThenLiveStatusProgressFly_ClosesAtTerminalWithResult()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);

        var (first, state) = await stream.ExpectAsync("status");
        Assert.Equal("1", first.Id);
        Assert.Equal("pending", state["status"]!.GetValue<string>());

        await gateway.ReportAsync(id, $$"""{"type":"status","status":"received","actor":"judge","route":{{Hop}}}""");
        await gateway.ReportAsync(id, """{"type":"fly","actor":"judge","data":{"partial":true,"text":"Hel"}}""");
        await gateway.ReportAsync(id, $$"""{"type":"status","status":"processing","actor":"judge","route":{{Hop}}}""");
        await gateway.ReportAsync(id, """{"type":"status","status":"succeeded","actor":"x-sink","result":{"summary":"Hello"}}""");

        var (running, runningData) = await stream.ExpectAsync("status");
        Assert.Equal("2", running.Id);
        Assert.Equal("running", runningData["status"]!.GetValue<string>());
        var (fly, flyData) = await stream.ExpectAsync("fly");
        Assert.Null(fly.Id);
        Assert.Equal("Hel", flyData["text"]!.GetValue<string>());
        var (progress, progressData) = await stream.ExpectAsync("progress");
        Assert.Equal("3", progress.Id);
        Assert.Equal(50, progressData["progress"]!.GetValue<double>());
        var (_, done) = await stream.ExpectAsync("status");
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("Hello", done["result"]!["summary"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Events_BurstOf3000FlyPostedInBatches_EveryOneReachesTheClientInOrder()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
        await stream.ExpectAsync("status");

        for (var batch = 0; batch < 3; batch++)
        {
            var flies = Enumerable.Range(batch * 1000, 1000).Select(i => $$$"""{"type":"fly","actor":"judge","data":{"i":{{{i}}}}}""");
            using var posted = await gateway.ReportAsync(id, "[" + string.Join(",", flies) + "]");
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        }

        await gateway.ReportAsync(id, """{"type":"status","status":"succeeded","actor":"x-sink","result":{}}""");

        var received = new List<int>();
        for (var i = 0; i < 3000; i++)
        {
            received.Add((await stream.ExpectAsync("fly")).Data["i"]!.GetValue<int>());
        }

        Assert.Equal(Enumerable.Range(0, 3000), received);
        Assert.Equal("succeeded", (await stream.ExpectAsync("status")).Data["status"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Events_SubscribedAfterFly_SnapshotThenTheEarlyFlyThenLive()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await gateway.ReportAsync(id, $$"""{"type":"status","status":"processing","actor":"judge","route":{{Hop}}}""");
        await gateway.ReportAsync(id, """[{"type":"fly","actor":"judge","data":"The"},{"type":"fly","actor":"judge","data":" answer"}]""");
        await gateway.ReportAsync(id, """{"type":"fly","actor":"judge","data":" is"}""");

        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
        Assert.Equal("running", (await stream.ExpectAsync("status")).Data["status"]!.GetValue<string>());
        Assert.Equal("The", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        Assert.Equal(" answer", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        Assert.Equal(" is", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        await gateway.ReportAsync(id, """{"type":"fly","actor":"judge","data":" 42"}""");
        Assert.Equal(" 42", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        await gateway.ReportAsync(id, """{"type":"status","status":"succeeded","actor":"x-sink","result":{}}""");
        Assert.Equal("succeeded", (await stream.ExpectAsync("status")).Data["status"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());

        // A reconnecting client saw them already: with Last-Event-ID no FLY is replayed.
        await using var again = await EventStreamClient.OpenAsync(gateway.Api, id, lastEventId: "2");
        Assert.Equal("succeeded", (await again.ExpectAsync("status")).Data["status"]!.GetValue<string>());
        Assert.Null(await again.NextAsync());
    }

    [Fact]
    public async Task Events_ShortTaskFinishedBeforeSubscribing_ItsFlyThenTheTerminalStatus()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await gateway.ReportAsync(id, """[{"type":"fly","actor":"judge","data":"a"},{"type":"fly","actor":"judge","data":"b"}]""");
        await gateway.ReportAsync(id, """{"type":"status","status":"succeeded","actor":"x-sink","result":{"text":"ab"}}""");

        // Within the grace after the terminal status (the fixture's clock stands still).
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
        Assert.Equal("a", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        Assert.Equal("b", (await stream.ExpectAsync("fly")).Data.GetValue<string>());
        Assert.Equal("ab", (await stream.ExpectAsync("status")).Data["result"]!["text"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Events_FinishedTask_OneStateEventThenClosed_Unknown404()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        await gateway.Api.DeleteAsync($"/api/v1/mesh/{id}");
        await using (var stream = await EventStreamClient.OpenAsync(gateway.Api, id))
        {
            Assert.Equal("canceled", (await stream.ExpectAsync("status")).Data["status"]!.GetValue<string>());
            Assert.Null(await stream.NextAsync());
        }

        using var unknown = await gateway.Api.GetAsync("/api/v1/mesh/nope/events");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Events_RestartThenLastEventId_ReplaysStoredUpdatesAfterIt()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await gateway.ReportAsync(id, $$"""{"type":"status","status":"received","actor":"judge","route":{{Hop}}}""");
        await gateway.ReportAsync(id, $$"""{"type":"status","status":"completed","actor":"judge","route":{{Hop}}}""");
        var before = await gateway.GetTaskAsync(id);

        await gateway.RestartAsync();

        var after = await gateway.GetTaskAsync(id);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id, lastEventId: "1");
        var (replayed, running) = await stream.ExpectAsync("status");
        Assert.Equal("2", replayed.Id);
        Assert.Equal("running", running["status"]!.GetValue<string>());
        var (third, progress) = await stream.ExpectAsync("progress");
        Assert.Equal("3", third.Id);
        Assert.Equal(66.67, progress["progress"]!.GetValue<double>());

        await gateway.ReportAsync(id, """{"type":"status","status":"failed","actor":"x-sink","error":{"type":"ValueError"}}""");
        var (_, failed) = await stream.ExpectAsync("status");
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("ValueError", failed["error"]!["type"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Events_Idle_KeepaliveCommentEveryIntervalOfTheInjectedClock()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        var timers = gateway.Time.TimersCreated;
        using var response = await gateway.Api.GetAsync($"/api/v1/mesh/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("id: 1", await ReadLineAsync(reader));
        Assert.Equal("event: status", await ReadLineAsync(reader));
        Assert.StartsWith("data: ", await ReadLineAsync(reader), StringComparison.Ordinal);
        Assert.Equal("", await ReadLineAsync(reader));

        for (var i = 0; i < 2; i++)
        {
            await gateway.Time.WaitForTimerAsync(timers, due => due == gateway.Options.KeepaliveInterval, TimeSpan.FromSeconds(30));
            timers = gateway.Time.TimersCreated;
            gateway.Time.Advance(gateway.Options.KeepaliveInterval);
            Assert.Equal(": keepalive", await ReadLineAsync(reader));
            Assert.Equal("", await ReadLineAsync(reader));
        }
    }

    [Fact]
    public async Task Events_TerminalStoredButNeverPublished_CaughtUpFromTheStoreAtTheNextKeepalive()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        var timers = gateway.Time.TimersCreated;
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
        await stream.ExpectAsync("status");

        // Stored, but its notification lost on the way (as when a PostgreSQL listener reconnects): the hub never hears of it.
        await gateway.Store.ApplyReportAsync(
            id, new TaskReport { Status = TaskReportStatus.Succeeded, Actor = "x-sink", Result = JsonNode.Parse("2") }, default);
        await gateway.Time.WaitForTimerAsync(timers, due => due == gateway.Options.KeepaliveInterval, TimeSpan.FromSeconds(30));
        gateway.Time.Advance(gateway.Options.KeepaliveInterval);

        var (_, succeeded) = await stream.ExpectAsync("status");
        Assert.Equal("succeeded", succeeded["status"]!.GetValue<string>());
        Assert.Equal(2, succeeded["result"]!.GetValue<int>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task Events_ClientDisconnects_SubscriptionReleased()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        using var ended = new RequestEnded(new Uri(gateway.Host.ApiUrl).Port, $"/api/v1/mesh/{id}/events", count: 3);
        var streams = new List<EventStreamClient>();
        for (var i = 0; i < 3; i++)
        {
            var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
            await stream.ExpectAsync("status");
            streams.Add(stream);
        }

        Assert.Equal(3, gateway.Hub.SubscriberCount);
        Assert.Contains("asya_gateway_sse_subscribers 3", await gateway.Api.GetStringAsync("/metrics"), StringComparison.Ordinal);
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }

        // Each handler returns once Kestrel sees the connection gone; all three have then released their subscription.
        await ended.Signal.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, gateway.Hub.SubscriberCount);
        Assert.Contains("asya_gateway_sse_subscribers 0", await gateway.Api.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_FlyBurstOf10000ToSlowClient_OldestFlyDroppedAndCounted_StatusNeverDropped()
    {
        const int Burst = 10_000;
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        await using var stream = await EventStreamClient.OpenAsync(gateway.Api, id);
        await stream.ExpectAsync("status");

        // The client reads nothing while the burst is published: 2 KB each, far more than the socket buffers hold.
        var pad = new string('x', 2048);
        var statuses = new[] { "received", "processing", "completed" };
        for (var i = 0; i < Burst; i++)
        {
            await gateway.Hub.PublishAsync(TaskEvent.ForFly(id, "judge", new JsonObject { ["i"] = i, ["pad"] = pad }), default);
            if (i % 3000 == 2999)
            {
                await gateway.Tasks.ApplyReportAsync(id, new TaskReport { Status = Enum.Parse<TaskReportStatus>(statuses[i / 3000], ignoreCase: true), Actor = "judge", Route = Route() }, default);
            }
        }

        await gateway.Tasks.ApplyReportAsync(id, new TaskReport { Status = TaskReportStatus.Succeeded, Actor = "x-sink" }, default);

        var flies = new List<int>();
        var updates = new List<string>();
        while (await stream.NextAsync() is { } next)
        {
            if (next.Event == "fly")
            {
                flies.Add(JsonNode.Parse(next.Data)!["i"]!.GetValue<int>());
            }
            else
            {
                updates.Add($"{next.Event}:{JsonNode.Parse(next.Data)!["status"]!.GetValue<string>()}");
            }
        }

        Assert.Equal(["status:running", "progress:running", "progress:running", "status:succeeded"], updates);
        var dropped = Burst - flies.Count;
        Assert.True(dropped > 0, "a client that reads nothing for 20 MB must lose FLY events");
        Assert.Equal(flies.Order(), flies);
        Assert.Equal(Burst - 1, flies[^1]);
        var metrics = await gateway.Api.GetStringAsync("/metrics");
        Assert.Contains($"asya_gateway_sse_fly_dropped_total {dropped.ToString(CultureInfo.InvariantCulture)}", metrics, StringComparison.Ordinal);
    }

    private static Runtime.Protocol.Route Route() => new() { Prev = ["tokenize"], Curr = "judge", Next = ["store"] };

    private static async Task<string?> ReadLineAsync(StreamReader reader) =>
        await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
}
