using System.Text.Json.Nodes;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>Real sidecars and the real Python runtime reporting to a recording gateway; x-pause and x-resume on the embedded store.</summary>
public sealed class GatewayScenarioTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StreamingHandler_FlyTokensInOrderBetweenHopStatuses_ThenSucceededWithResult()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        await using var mesh = await Mesh.StartAsync(new ActorSpec("streamer", "stream"));
        await mesh.SendAsync(Envelopes.Create("task-1", ["streamer"], """{"count":25}""", $$"""{"{{MeshHeaders.GatewayUrl}}":"{{gateway.BaseUrl}}"}"""));

        await mesh.ResultAsync("task-1");
        await gateway.EventCount.WaitAsync(29, Wait);

        var events = gateway.EventsOf("task-1");
        Assert.Equal(
            ["running/received", "running/processing", .. Enumerable.Repeat("fly", 25), "running/completed", "succeeded"],
            events.Select(e => (string)e["type"]! == "fly" ? "fly" : (string)e["status"]! + ((string?)e["phase"] is { } p ? "/" + p : "")));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"t{i}"), events.Where(e => (string)e["type"]! == "fly").Select(e => (string)e["data"]!["text"]!));
        Assert.Equal("""{"words":25}""", events[^1]["result"]!.ToJsonString());
    }

    [Fact]
    public async Task PauseThenResume_ThroughCrewSidecars_TaskFinishesWithInputMerged()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        await using var mesh = await Mesh.StartAsync(new ActorSpec("draft", "echo"), new ActorSpec("publish", "echo"));
        mesh.StartCrew(ActorNames.Pause);
        mesh.StartCrew(ActorNames.Resume);
        var headers = $$$"""{"{{{MeshHeaders.GatewayUrl}}}":"{{{gateway.BaseUrl}}}","{{{MeshHeaders.PauseMetadata}}}":{"prompt":"Approve?","fields":[{"name":"approved","type":"boolean","payload_key":"/approved"}]}}""";
        await mesh.SendAsync(Envelopes.Create("review-1", ["draft", ActorNames.Pause, "publish"], """{"text":"hi"}""", headers));

        // Four reports from two sidecars (draft: received, processing, completed; x-pause: paused): their order across
        // processes is not fixed, so the paused one is found, not taken last.
        await gateway.EventCount.WaitAsync(4, Wait);
        var paused = Assert.Single(gateway.EventsOf("review-1"), e => (string?)e["status"] == "paused");
        Assert.Equal(("paused", "Approve?"), ((string)paused["status"]!, (string)paused["message"]!));

        var resume = Envelopes.Create("resume-1", [ActorNames.Resume], """{"approved":true}""", $$"""{"{{MeshHeaders.ResumeTask}}":"review-1"}""");
        await mesh.SendAsync(resume);
        var result = await mesh.ResultAsync("review-1");

        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(["draft", "x-pause", "x-resume", "publish"], result.Route!.Prev);
        Assert.Equal("""{"text":"hi","approved":true}""", result.Payload.GetRawText());
        Assert.Null(await mesh.Store.GetAsync("paused/review-1", CancellationToken.None));
    }
}
