using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>Status and FLY reports of an actor's sidecar to the gateway named by the envelope (a real HTTP listener).</summary>
public sealed class GatewayReportingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Envelope Task(string id, string gateway, string[]? route = null, string? extraHeaders = null) =>
        Envelopes.Create(id, route ?? ["a", "b"], headersJson: $$"""{"{{MeshHeaders.GatewayUrl}}":"{{gateway}}"{{extraHeaders}}}""");

    [Fact]
    public async Task Hop_WithGateway_ReportsReceivedProcessingFlyInOrderThenCompleted()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            for (var i = 0; i < 50; i++)
            {
                h.Runtime.Upstream!($$$"""{"payload":{"partial":true,"text":"t{{{i}}}"}}""");
            }

            return await FakeRuntime.EchoAsync(envelope, onFrame, ct);
        };

        var result = await h.HandleAsync(Task("t1", gateway.BaseUrl));

        Assert.True(result.Ack);
        Assert.Equal("b", h.Single("b").Route!.Curr);
        await gateway.EventCount.WaitAsync(53, Wait);
        var events = gateway.EventsOf("t1");
        Assert.Equal(53, events.Count);
        Assert.Equal(["received", "processing"], events.Take(2).Select(e => (string)e["phase"]!));
        Assert.All(events.Take(2).Append(events[^1]), e =>
        {
            Assert.Equal("status", (string)e["type"]!);
            Assert.Equal("running", (string)e["status"]!);
            Assert.Equal("a", (string)e["actor"]!);
            // The route as this actor saw it: curr = a, so the gateway's progress is (len(prev) + w) / (len(prev) + 1 + len(next)).
            Assert.Equal("""{"prev":[],"curr":"a","next":["b"]}""", e["route"]!.ToJsonString());
        });
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"t{i}"), events.Skip(2).Take(50).Select(e => (string)e["data"]!["text"]!));
        Assert.All(events.Skip(2).Take(50), e => Assert.Equal(("fly", "a"), ((string)e["type"]!, (string)e["actor"]!)));
        Assert.Equal("completed", (string)events[^1]["phase"]!);
    }

    [Fact]
    public async Task Hop_BurstOf3000Fly_AllReachTheGatewayInOrderBatchedBeforeTheFrameIsRouted()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            for (var i = 0; i < 3000; i++)
            {
                h.Runtime.Upstream!($$$"""{"payload":{"text":"t{{{i}}}"}}""");
            }

            return await FakeRuntime.EchoAsync(envelope, onFrame, ct);
        };

        await h.HandleAsync(Task("burst", gateway.BaseUrl));

        // The hop waited for its FLY events before routing on: all of them were posted by then, in the order yielded.
        var flies = gateway.EventsOf("burst").Where(e => (string)e["type"]! == "fly").ToList();
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"t{i}"), flies.Select(e => (string)e["data"]!["text"]!));
        // One request per batch, not per event (one per event took 3,000 requests).
        Assert.InRange(gateway.Requests["burst"], 1, 100);
    }

    [Fact]
    public async Task Reporter_OneTasksGatewayNeverAnswers_OtherTasksReportsStillArrive()
    {
        using var silent = new SilentGateway();
        await using var gateway = await RecordingGateway.StartAsync();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromMinutes(10));
        var stuck = new Sidecar.Gateway.GatewayTarget(silent.BaseUrl, "stuck");
        var free = new Sidecar.Gateway.GatewayTarget(gateway.BaseUrl, "free");

        // The stuck task's post waits ten minutes; a single sender would hold the free task's reports behind it.
        h.Gateway!.Reporter.Report(stuck, new JsonObject { ["type"] = "fly", ["data"] = 0 });
        await silent.Connected.WaitAsync(1, Wait);
        for (var i = 0; i < 5; i++)
        {
            h.Gateway.Reporter.Report(free, new JsonObject { ["type"] = "fly", ["data"] = i });
        }

        await gateway.EventCount.WaitAsync(5, Wait);
        Assert.Equal([0, 1, 2, 3, 4], gateway.EventsOf("free").Select(e => (int)e["data"]!));
    }

    [Fact]
    public async Task Hop_StealthHeader_NothingReportedNorRead()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            h.Runtime.Upstream?.Invoke("""{"payload":{"text":"x"}}""");
            return await FakeRuntime.EchoAsync(envelope, onFrame, ct);
        };

        await h.HandleAsync(Task("quiet", gateway.BaseUrl, extraHeaders: $$""","{{MeshHeaders.MeshStatus}}":"off" """));
        // A report of "quiet" would have been queued, and its task's lane started, before any of "loud".
        await h.HandleAsync(Task("loud", gateway.BaseUrl));
        await gateway.EventCount.WaitAsync(4, Wait);

        Assert.Empty(gateway.EventsOf("quiet"));
        Assert.False(gateway.Reads.ContainsKey("quiet"));
        Assert.Equal(2, h.Runtime.Invocations.Count);
        Assert.Equal(["received", "processing", "fly", "completed"], gateway.EventsOf("loud").Select(e => (string?)e["phase"] ?? (string)e["type"]!));
    }

    [Fact]
    public async Task Report_UnknownTask404_NothingMoreSentForThatId()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        gateway.UnknownTasks.Add("gone");
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));

        await h.HandleAsync(Task("gone", gateway.BaseUrl));
        await h.HandleAsync(Task("known", gateway.BaseUrl));
        await gateway.EventCount.WaitAsync(4, Wait);

        // The first 404 stops the rest of "gone": the request that carried received was its only one.
        Assert.Equal(1, gateway.Requests["gone"]);
        Assert.Equal("received", (string?)gateway.EventsOf("gone")[0]["phase"]);
        Assert.Equal(3, gateway.EventsOf("known").Count);
    }

    [Fact]
    public async Task DeadGateway_NothingListening_EnvelopesRoutedReportsDroppedAndCounted()
    {
        var closed = SilentGateway.Closed();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));
        using var dropped = new MetricCollector<long>(h.Metrics.Meter, "asya_actor_gateway_reports_dropped_total");

        for (var i = 0; i < 20; i++)
        {
            var result = await h.HandleAsync(Task($"d{i}", closed));
            Assert.True(result.Ack);
        }

        Assert.Equal(20, h.Transport.SentTo(h.Options.QueueOf("b")).Count);
        // 3 reports per envelope; every one dropped (refused, then skipped while the gateway is down).
        await DroppedAsync(dropped, 60);
        Assert.All(dropped.GetMeasurementSnapshot(), m => Assert.Equal("unreachable", m.Tags["reason"]));
    }

    [Fact]
    public async Task DeadGateway_NeverAnswersAndKnownDown_EnvelopesGoOnWithoutCallingIt()
    {
        using var silent = new SilentGateway();
        // A long HTTP timeout: an envelope that waited for the gateway would not be handled within the test's deadline.
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromMinutes(10));
        using var dropped = new MetricCollector<long>(h.Metrics.Meter, "asya_actor_gateway_reports_dropped_total");
        using var preFlight = new MetricCollector<long>(h.Metrics.Meter, "asya_actor_gateway_preflight_total");
        h.Gateway!.Health.MarkDown(silent.BaseUrl); // as after its first timeout; the fake clock never ends the backoff

        var results = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 10).Select(i => h.HandleAsync(Task($"s{i}", silent.BaseUrl)))).WaitAsync(Wait);

        Assert.All(results, r => Assert.True(r.Ack));
        Assert.Equal(10, h.Transport.SentTo(h.Options.QueueOf("b")).Count);
        Assert.Equal(10, preFlight.GetMeasurementSnapshot().Count(m => (string?)m.Tags["result"] == "skipped"));
        await DroppedAsync(dropped, 30);
    }

    [Fact]
    public async Task Reporter_GatewayNeverAnswers_ReportReturnsAtOnceAndDropsWhatDoesNotFit()
    {
        using var silent = new SilentGateway();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromMinutes(10), gatewayQueueSize: 4);
        using var dropped = new MetricCollector<long>(h.Metrics.Meter, "asya_actor_gateway_reports_dropped_total");
        var target = new Sidecar.Gateway.GatewayTarget(silent.BaseUrl, "t");

        // Report never waits: 100 calls return while the sender is stuck on its first post for ten minutes.
        for (var i = 0; i < 100; i++)
        {
            h.Gateway!.Reporter.Report(target, new JsonObject { ["type"] = "fly", ["data"] = i });
        }

        // The 4 queued or in flight are not dropped; the first post never ends, so nothing leaves the bound.
        await DroppedAsync(dropped, 96);
        Assert.Equal(96, dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(dropped.GetMeasurementSnapshot(), m => Assert.Equal("queue_full", m.Tags["reason"]));
    }

    [Fact]
    public async Task PreFlight_NeverAnswers_FailsOpenAfterTimeoutOnceThenSkips()
    {
        using var silent = new SilentGateway();
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromMilliseconds(200));
        using var preFlight = new MetricCollector<long>(h.Metrics.Meter, "asya_actor_gateway_preflight_total");

        await h.HandleAsync(Task("p1", silent.BaseUrl));
        await h.HandleAsync(Task("p2", silent.BaseUrl));
        await h.HandleAsync(Task("p3", silent.BaseUrl));

        Assert.Equal(3, h.Runtime.Invocations.Count);
        Assert.Equal(["failed_open", "skipped", "skipped"], preFlight.GetMeasurementSnapshot().Select(m => (string)m.Tags["result"]!));
    }

    /// <summary>Waits until the drops counted add up to <paramref name="count"/> (one measurement per batch).</summary>
    private static Task DroppedAsync(MetricCollector<long> dropped, long count) =>
        Asya.Testing.Eventually.TrueAsync(
            () => System.Threading.Tasks.Task.FromResult(dropped.GetMeasurementSnapshot().Sum(m => m.Value) >= count), Wait, $"{count} reports dropped");
}
