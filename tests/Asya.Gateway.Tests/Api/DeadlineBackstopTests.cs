using Asya.Gateway.Configuration;
using Asya.Gateway.Service;
using Asya.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Gateway.Tests.Api;

/// <summary>The backstop fails tasks past their deadline ("task timed out"); a paused task's clock stops.</summary>
public sealed class DeadlineBackstopTests
{
    // The sweeps of these tests are called directly; the background loop must not take them first when time moves.
    private static GatewayOptions NoTimedSweeps(GatewayOptions options) => options with { BackstopInterval = TimeSpan.FromDays(1) };

    [Fact]
    public async Task Sweep_PastDeadline_FailedTimedOut_CountedInMetrics()
    {
        await using var gateway = await GatewayFixture.StartAsync(NoTimedSweeps);
        var backstop = gateway.Host.Services.GetRequiredService<DeadlineBackstop>();
        var late = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1,"timeout":10}""");
        var open = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");

        gateway.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await backstop.SweepAsync(default));
        gateway.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await backstop.SweepAsync(default));

        var task = await gateway.GetTaskAsync(late);
        Assert.Equal("failed", task["status"]!.GetValue<string>());
        Assert.Equal("task timed out", task["error"]!.GetValue<string>());
        Assert.Equal("pending", (await gateway.GetTaskAsync(open))["status"]!.GetValue<string>());
        var metrics = await gateway.Api.GetStringAsync("/metrics");
        Assert.Contains("asya_gateway_tasks{status=\"failed\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("asya_gateway_tasks{status=\"pending\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_PausedClockStops_RestartsOnResumeWithTheTimeLeft()
    {
        await using var gateway = await GatewayFixture.StartAsync(NoTimedSweeps);
        var backstop = gateway.Host.Services.GetRequiredService<DeadlineBackstop>();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1,"timeout":10}""");
        gateway.Time.Advance(TimeSpan.FromSeconds(4));
        await gateway.ReportAsync(id, """{"type":"status","status":"paused","actor":"x-pause","pause_metadata":{"prompt":"ok?"}}""");

        gateway.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await backstop.SweepAsync(default));
        Assert.Equal("paused", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());

        await gateway.Api.PostAsync($"/api/v1/mesh/{id}/resume", new StringContent("""{"payload":{}}""", System.Text.Encoding.UTF8, "application/json"));
        gateway.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await backstop.SweepAsync(default));
        gateway.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await backstop.SweepAsync(default));
        Assert.Equal("failed", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sweep_FinalReportHeldDuringOutage_AppliedFirstNotTimedOut()
    {
        OutageTaskStore? store = null;
        await using var gateway = await GatewayFixture.StartAsync(NoTimedSweeps, wrapStore: inner => store = new OutageTaskStore(inner));
        var backstop = gateway.Host.Services.GetRequiredService<DeadlineBackstop>();
        var held = gateway.Host.Services.GetRequiredService<HeldReports>();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1,"timeout":10}""");

        store!.Down = true;
        using (var report = await gateway.ReportAsync(id, """{"type":"status","status":"succeeded","actor":"x-sink","result":{"ok":true}}"""))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, report.StatusCode);
        }

        Assert.Equal(1, held.Count);

        // Past the deadline; the hold's retry runs once into the outage and waits for its next tick, which never comes.
        var from = gateway.Time.TimersCreated;
        gateway.Time.Advance(TimeSpan.FromSeconds(11));
        await gateway.Time.WaitForTimerAsync(from, due => due == HeldReports.RetryInterval, TimeSpan.FromSeconds(30));
        Assert.Equal(1, held.Count);
        store.Down = false;

        Assert.Equal(0, await backstop.SweepAsync(default));
        var task = await gateway.GetTaskAsync(id);
        Assert.Equal("succeeded", task["status"]!.GetValue<string>());
        Assert.Equal(0, held.Count);
    }
}
