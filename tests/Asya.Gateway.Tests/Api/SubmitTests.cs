using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Asya.Gateway.Observability;
using Asya.Gateway.Tests.Infrastructure;
using Asya.Runtime.Protocol;

namespace Asya.Gateway.Tests.Api;

/// <summary><c>POST /api/v1/mesh</c>: every answer of the spec's table, and what is (or is not) sent.</summary>
public sealed class SubmitTests
{
    [Fact]
    public async Task Submit_Flow_201AndEnvelopeOnFirstQueueWithGatewayUrlDeadlineAndRoute()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"summarize","payload":{"text":"hi"},"headers":{"x-team":"a","x-asya-gateway-url":"http://evil"}}""");

        var envelope = Assert.Single(await gateway.TakeQueuedAsync("tokenize"));
        Assert.Equal(id, envelope.Id);
        Assert.Equal("tokenize", envelope.Route!.Curr);
        Assert.Equal(["judge", "store"], envelope.Route.Next);
        Assert.Equal("hi", envelope.Payload.GetProperty("text").GetString());
        Assert.Equal(gateway.Host.MeshUrl, envelope.Headers![MeshHeaders.GatewayUrl]!.GetValue<string>());
        Assert.Equal("a", envelope.Headers["x-team"]!.GetValue<string>());
        Assert.Equal(envelope.Status!.CreatedAt + TimeSpan.FromSeconds(120), envelope.Status.DeadlineAt);

        var task = await gateway.GetTaskAsync(id);
        Assert.Equal("pending", task["status"]!.GetValue<string>());
        Assert.Equal("summarize", task["flow"]!.GetValue<string>());
        Assert.Equal("hi", task["payload"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_ActorAndRoute_201WithTheirRouteAndBodyTimeout()
    {
        await using var gateway = await GatewayFixture.StartAsync();
        await gateway.SubmitOkAsync("""{"actor":"judge","payload":1,"timeout":5}""");
        await gateway.SubmitOkAsync("""{"route":["echo","store"],"payload":[1,2]}""");

        var byActor = Assert.Single(await gateway.TakeQueuedAsync("judge"));
        Assert.Empty(byActor.Route!.Next);
        Assert.Equal(byActor.Status!.CreatedAt + TimeSpan.FromSeconds(5), byActor.Status.DeadlineAt);
        var byRoute = Assert.Single(await gateway.TakeQueuedAsync("echo"));
        Assert.Equal(["store"], byRoute.Route!.Next);
        Assert.Null(byRoute.Status!.DeadlineAt);
    }

    [Theory]
    [InlineData("not json", "body: not JSON")]
    [InlineData("[1]", "body: must be a JSON object")]
    [InlineData("""{"payload":1}""", "flow, actor, route: give exactly one (none given)")]
    [InlineData("""{"flow":"echo","actor":"echo","payload":1}""", "flow, actor: give exactly one of flow, actor, route")]
    [InlineData("""{"flow":"echo"}""", "payload: required")]
    [InlineData("""{"flow":"echo","payload":1,"priority":2}""", "priority: unknown field")]
    [InlineData("""{"flow":"echo","payload":1,"timeout":0}""", "timeout: must be a number of seconds above 0")]
    [InlineData("""{"flow":"echo","payload":1,"timeout":"10s"}""", "timeout: must be a number of seconds above 0")]
    [InlineData("""{"flow":"echo","payload":1,"headers":[1]}""", "headers: must be a JSON object")]
    [InlineData("""{"flow":7,"payload":1}""", "flow: must be a flow name")]
    [InlineData("""{"actor":"Echo!","payload":1}""", "actor: \"Echo!\" is not an actor name")]
    [InlineData("""{"route":[],"payload":1}""", "route: must be a non-empty list of actor names")]
    [InlineData("""{"route":["echo","no_such"],"payload":1}""", "route[1]: \"no_such\" is not an actor name")]
    public async Task Submit_BadBody_400NamingTheFieldAndNothingSent(string body, string error)
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var response = await gateway.SubmitAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(error, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await gateway.QueueDepthAsync("echo"));
        Assert.Equal(0, (await gateway.Store.ListAsync(new Gateway.Tasks.TaskQuery(), default)).Total);
    }

    [Theory]
    [InlineData("""{"flow":"translate","payload":1}""", "flow: unknown flow 'translate'")]
    [InlineData("""{"actor":"translate","payload":1}""", "actor: unknown actor 'translate'")]
    [InlineData("""{"route":["echo","translate"],"payload":1}""", "route[1]: unknown actor 'translate'")]
    public async Task Submit_UnknownFlowOrActor_404NamingItAndNothingSent(string body, string error)
    {
        await using var gateway = await GatewayFixture.StartAsync();
        using var response = await gateway.SubmitAsync(body);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith(error, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await gateway.QueueDepthAsync("echo"));
        Assert.Equal(0, (await gateway.Store.ListAsync(new Gateway.Tasks.TaskQuery(), default)).Total);
    }

    [Fact]
    public async Task Submit_NoFlowsLoaded_AnyValidActorAccepted()
    {
        await using var gateway = await GatewayFixture.StartAsync(flowsYaml: null);
        await gateway.SubmitOkAsync("""{"actor":"anything","payload":{}}""");
        Assert.Single(await gateway.TakeQueuedAsync("anything"));
    }

    [Fact]
    public async Task Submit_BodyOverLimit_413WithLengthAndWhenChunked()
    {
        await using var gateway = await GatewayFixture.StartAsync(o => o with { MaxBodyBytes = 4096 });
        var big = $$"""{"flow":"echo","payload":"{{new string('x', 8192)}}"}""";
        using var sized = await gateway.SubmitAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);

        using var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/mesh") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await gateway.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(0, await gateway.QueueDepthAsync("echo"));

        await gateway.SubmitOkAsync($$"""{"flow":"echo","payload":"{{new string('x', 3000)}}"}""");
    }

    [Fact]
    public async Task Submit_TraceRootIsTheTask_TraceparentStampedForTheSidecar()
    {
        var started = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GatewayTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (started)
                {
                    started.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayFixture.StartAsync();
        var id = await gateway.SubmitOkAsync("""{"flow":"echo","payload":1}""");

        Activity root;
        lock (started)
        {
            root = Assert.Single(started, a => a.Source.Name == GatewayTracing.SourceName && (string?)a.GetTagItem("asya.task_id") == id);
        }

        Assert.Null(root.ParentId);
        var envelope = Assert.Single(await gateway.TakeQueuedAsync("echo"));
        Assert.True(ActivityContext.TryParse(envelope.Headers![MeshHeaders.TraceParent]!.GetValue<string>(), null, out var context));
        Assert.Equal(root.TraceId, context.TraceId);
        Assert.Equal(root.SpanId, context.SpanId);
    }
}
