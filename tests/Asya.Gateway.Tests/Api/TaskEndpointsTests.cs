using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Asya.Gateway.Tests.Infrastructure;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tests.Api;

/// <summary>Get, list, cancel and resume on the api port.</summary>
public sealed class TaskEndpointsTests
{
    [Fact]
    public async Task Get_Unknown_404()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var response = await gateway.Api.GetAsync("/api/v1/mesh/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown task 'nope'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NewestFirstFilteredWithTotal_BadQuery400()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var first = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        gateway.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":2}""");
        gateway.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await gateway.SubmitOkAsync("""{"flow":"echo","payload":3}""");
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Api.DeleteAsync($"/api/v1/mesh/{second}")).StatusCode);

        var all = JsonNode.Parse(await gateway.Api.GetStringAsync("/api/v1/mesh?limit=2"))!;
        Assert.Equal(3, all["total"]!.GetValue<long>());
        Assert.Equal([third, second], all["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        var page2 = JsonNode.Parse(await gateway.Api.GetStringAsync("/api/v1/mesh?limit=2&offset=2"))!;
        Assert.Equal(first, Assert.Single(page2["tasks"]!.AsArray())!["id"]!.GetValue<string>());
        var echo = JsonNode.Parse(await gateway.Api.GetStringAsync("/api/v1/mesh?flow=echo&status=pending"))!;
        Assert.Equal(2, echo["total"]!.GetValue<long>());
        var canceled = JsonNode.Parse(await gateway.Api.GetStringAsync("/api/v1/mesh?status=canceled"))!;
        Assert.Equal(second, Assert.Single(canceled["tasks"]!.AsArray())!["id"]!.GetValue<string>());

        foreach (var (query, field) in new[] { ("status=done", "status:"), ("limit=0", "limit:"), ("limit=x", "limit:"), ("offset=-1", "offset:") })
        {
            using var bad = await gateway.Api.GetAsync($"/api/v1/mesh?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.StartsWith(field, JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancel_Idempotent204_FinishedTaskUnchanged_Unknown404()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Api.DeleteAsync($"/api/v1/mesh/{id}")).StatusCode);
        Assert.Equal("canceled", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Api.DeleteAsync($"/api/v1/mesh/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Api.DeleteAsync("/api/v1/mesh/nope")).StatusCode);

        var done = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.ReportAsync(done, """{"type":"status","status":"succeeded","actor":"x-sink","result":{"ok":true}}""")).StatusCode);
        var before = await gateway.GetTaskAsync(done);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Api.DeleteAsync($"/api/v1/mesh/{done}")).StatusCode);
        var after = await gateway.GetTaskAsync(done);
        Assert.Equal("succeeded", after["status"]!.GetValue<string>());
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task Resume_Paused202ToXResumeOnce_Double409_Running409_Unknown404()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        using var running = await gateway.Api.PostAsync($"/api/v1/mesh/{id}/resume", Json("""{"payload":{"approved":true}}"""));
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Contains("not paused", await running.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Api.PostAsync("/api/v1/mesh/nope/resume", Json("""{"payload":{}}"""))).StatusCode);

        gateway.Time.Advance(TimeSpan.FromSeconds(20));
        await gateway.ReportAsync(id, """{"type":"status","status":"paused","actor":"x-pause","route":{"prev":["tokenize"],"curr":"x-pause","next":["x-resume","judge"]},"pause_metadata":{"prompt":"ok?","fields":[]}}""");
        var paused = await gateway.GetTaskAsync(id);
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal("ok?", paused["pause_metadata"]!["prompt"]!.GetValue<string>());
        gateway.Time.Advance(TimeSpan.FromMinutes(10)); // the paused clock does not run: 100 s remain

        using var bad = await gateway.Api.PostAsync($"/api/v1/mesh/{id}/resume", Json("""{"approved":true}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var resumed = await gateway.Api.PostAsync($"/api/v1/mesh/{id}/resume", Json("""{"payload":{"approved":true}}"""));
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        using var again = await gateway.Api.PostAsync($"/api/v1/mesh/{id}/resume", Json("""{"payload":{"approved":false}}"""));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var message = Assert.Single(await gateway.TakeQueuedAsync(ActorNames.Resume));
        Assert.Equal(id, message.Headers![MeshHeaders.ResumeTask]!.GetValue<string>());
        Assert.Equal("100", message.Headers[MeshHeaders.ResumeTimeout]!.GetValue<string>());
        Assert.True(message.Payload.GetProperty("approved").GetBoolean());
        Assert.Equal("running", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
