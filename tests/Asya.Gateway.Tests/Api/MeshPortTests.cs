using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Asya.Gateway.Tests.Infrastructure;

namespace Asya.Gateway.Tests.Api;

/// <summary>The mesh port: reports (204/404/400), pre-flight, and each port serving only its own endpoints.</summary>
public sealed class MeshPortTests
{
    [Fact]
    public async Task Report_Status204AppliesThroughTheRules_Unknown404_BadJson400()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");

        using var processing = await gateway.ReportAsync(id, """{"type":"status","status":"processing","actor":"judge","route":{"prev":["tokenize"],"curr":"judge","next":["store"]}}""");
        Assert.Equal(HttpStatusCode.NoContent, processing.StatusCode);
        var task = await gateway.GetTaskAsync(id);
        Assert.Equal("running", task["status"]!.GetValue<string>());
        Assert.Equal(50, task["progress"]!.GetValue<double>());
        Assert.Equal("judge", task["actor"]!.GetValue<string>());

        // Stale: a received of the same hop after processing changes nothing, and is still a 204.
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.ReportAsync(id, """{"type":"status","status":"received","actor":"judge","route":{"prev":["tokenize"],"curr":"judge","next":["store"]}}""")).StatusCode);
        Assert.Equal(50, (await gateway.GetTaskAsync(id))["progress"]!.GetValue<double>());

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.ReportAsync("nope", """{"type":"status","status":"received","actor":"a"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.ReportAsync("nope", """{"type":"fly","actor":"a","data":{"t":1}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.ReportAsync(id, """{"type":"fly","actor":"judge","data":{"t":1}}""")).StatusCode);
        foreach (var bad in new[] { "{", "[1]", """{"type":"status"}""", """{"type":"status","status":"exploded"}""", """{"type":"gossip"}""" })
        {
            using var response = await gateway.ReportAsync(id, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Report_BatchArray_AppliedInOrder_BadElementAppliesNothing_Unknown404()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        const string route = "\"route\":{\"prev\":[\"tokenize\"],\"curr\":\"judge\",\"next\":[\"store\"]}";

        // A bad report anywhere in the batch: 400 naming it, and the good one before it is not applied either.
        using var bad = await gateway.ReportAsync(id, $$"""[{"type":"status","status":"succeeded","actor":"x-sink","result":1},{"type":"status","actor":"judge"}]""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("[1]", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pending", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.ReportAsync(id, "[]")).StatusCode);

        using var batch = await gateway.ReportAsync(id, $$"""
            [{"type":"status","status":"running","phase":"received","actor":"judge",{{route}}},
             {"type":"fly","actor":"judge","data":1},
             {"type":"status","status":"running","phase":"processing","actor":"judge",{{route}}},
             {"type":"fly","actor":"judge","data":2},
             {"type":"status","status":"running","phase":"completed","actor":"judge",{{route}}}]
            """);
        Assert.Equal(HttpStatusCode.NoContent, batch.StatusCode);
        // Applied in order: received (seq 2), then processing and completed as progress steps (3, 4).
        var updates = await gateway.Store.GetUpdatesAsync(id, 1, default);
        Assert.Equal([(2L, 36.67), (3L, 50.0), (4L, 66.67)], updates.Select(u => (u.Sequence, u.Progress)));
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.ReportAsync("nope", """[{"type":"fly","actor":"a","data":1},{"type":"fly","actor":"a","data":2}]""")).StatusCode);
    }

    [Fact]
    public async Task Report_RunningWithPhase_AsTheSidecarSendsIt_IsThatPhase()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":1}""");
        const string route = "\"route\":{\"prev\":[\"tokenize\"],\"curr\":\"judge\",\"next\":[\"store\"]}";

        using var completed = await gateway.ReportAsync(id, """{"type":"status","status":"running","phase":"completed","actor":"judge","error_details":{"x":1},""" + route + "}");
        Assert.Equal(HttpStatusCode.NoContent, completed.StatusCode);
        var task = await gateway.GetTaskAsync(id);
        Assert.Equal("running", task["status"]!.GetValue<string>());
        Assert.Equal(66.67, task["progress"]!.GetValue<double>());

        // Without a phase, running is the lowest weight: it cannot move progress back or forward here.
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.ReportAsync(id, """{"type":"status","status":"running","actor":"judge",""" + route + "}")).StatusCode);
        Assert.Equal(66.67, (await gateway.GetTaskAsync(id))["progress"]!.GetValue<double>());

        using var bad = await gateway.ReportAsync(id, """{"type":"status","status":"running","phase":"succeeded","actor":"judge",""" + route + "}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("phase", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_IdAndStatusOnly_OnTheMeshPort()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":{"secret":1}}""");
        await gateway.Api.DeleteAsync($"/api/v1/mesh/{id}");

        var preflight = JsonNode.Parse(await gateway.MeshPort.GetStringAsync($"/api/v1/mesh/{id}"))!.AsObject();
        Assert.Equal(["id", "status"], preflight.Select(p => p.Key));
        Assert.Equal("canceled", preflight["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.MeshPort.GetAsync("/api/v1/mesh/nope")).StatusCode);
    }

    [Fact]
    public async Task Listeners_ApiCannotReportAndMeshCannotSubmit_ProbesOnBoth()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");

        using var report = await gateway.Api.PostAsync($"/api/v1/mesh/{id}/events", new StringContent("""{"type":"status","status":"succeeded"}""", Encoding.UTF8, "application/json"));
        Assert.True(report.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, report.StatusCode.ToString());
        Assert.Equal("pending", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());
        using var submit = await gateway.MeshPort.PostAsync("/api/v1/mesh", new StringContent("""{"flow":"echo","payload":1}""", Encoding.UTF8, "application/json"));
        Assert.True(submit.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, submit.StatusCode.ToString());
        using var cancel = await gateway.MeshPort.DeleteAsync($"/api/v1/mesh/{id}");
        Assert.True(cancel.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, cancel.StatusCode.ToString());
        Assert.Equal("pending", (await gateway.GetTaskAsync(id))["status"]!.GetValue<string>());

        foreach (var client in new[] { gateway.Api, gateway.MeshPort })
        {
            Assert.Equal("ok", await client.GetStringAsync("/healthz"));
            Assert.Equal("ready", await client.GetStringAsync("/readyz"));
            Assert.Contains("asya_gateway_sse_subscribers", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ApiKey_RequiredOnApiPortOnly_BearerOrHeader_ProbesOpen()
    {
        await using var gateway = await GatewayFixture.StartAsync(o => o with { ApiKey = "s3cret-key" });
        using var none = await gateway.SubmitAsync("""{"flow":"echo","payload":1}""");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.DoesNotContain("s3cret", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var (header, value) in new[] { ("Authorization", "Bearer s3cret-kez"), ("X-API-Key", "s3cret"), ("Authorization", "Basic s3cret-key") })
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/mesh");
            wrong.Headers.TryAddWithoutValidation(header, value);
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Api.SendAsync(wrong)).StatusCode);
        }

        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/mesh") { Content = new StringContent("""{"flow":"echo","payload":1}""", Encoding.UTF8, "application/json") };
        bearer.Headers.Authorization = new("Bearer", "s3cret-key");
        using var created = await gateway.Api.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var byHeader = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/mesh/{id}");
        byHeader.Headers.Add("X-API-Key", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Api.SendAsync(byHeader)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Api.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Api.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.ReportAsync(id, """{"type":"status","status":"received","actor":"echo"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.MeshPort.GetAsync($"/api/v1/mesh/{id}")).StatusCode);
    }
}
