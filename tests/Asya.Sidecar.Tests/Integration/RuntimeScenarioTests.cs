using System.Text.Json;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>Upstream Asya's protocol-level sidecar⇄runtime scenarios, against the real Python runtime.</summary>
public sealed class RuntimeScenarioTests
{
    [Fact]
    public async Task HappyPath_EchoReachesSinkSucceeded()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("echo", "echo"));
        await mesh.SendAsync(Envelopes.Create("happy-1", ["echo"], """{"test":"happy_path","data":"integration test"}"""));

        var result = await mesh.ResultAsync("happy-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(EnvelopeReason.Completed, result.Status.Reason);
        Assert.Equal("happy_path", result.Payload.GetProperty("test").GetString());
        Assert.Equal(["echo"], result.Route!.Prev);
        Assert.Equal("", result.Route.Curr);
    }

    [Fact]
    public async Task Error_SinkFailedWithOriginalPayloadAndSump()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("boom", "fail"));
        await mesh.SendAsync(Envelopes.Create("err-1", ["boom"], """{"test":"error_handling"}"""));

        var result = await mesh.ResultAsync("err-1");
        Assert.Equal(EnvelopePhase.Failed, result.Status!.Phase);
        Assert.Equal(EnvelopeReason.RuntimeError, result.Status.Reason);
        Assert.Contains("error", result.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("error_handling", result.Payload.GetProperty("original_payload").GetProperty("test").GetString());
        Assert.Equal("ValueError", result.Status.Error!.Type);
        Assert.Contains("Intentional test failure", result.Status.Error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Status.Error.Traceback);
        var sump = await mesh.SumpAsync("err-1");
        Assert.Equal(EnvelopePhase.Failed, sump.Status!.Phase);
    }

    [Fact]
    public async Task MemoryErrors_OomAndCudaOomTextReachSink()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("oom", "oom"), new ActorSpec("cuda", "cuda_oom"));
        await mesh.SendAsync(Envelopes.Create("oom-1", ["oom"]));
        await mesh.SendAsync(Envelopes.Create("cuda-1", ["cuda"]));

        var oom = await mesh.ResultAsync("oom-1");
        Assert.Equal("MemoryError", oom.Status!.Error!.Type);
        Assert.Contains("memory", Mesh.Text(oom), StringComparison.OrdinalIgnoreCase);
        var cuda = await mesh.ResultAsync("cuda-1");
        Assert.Contains("CUDA", Mesh.Text(cuda), StringComparison.Ordinal);
        Assert.Contains("RuntimeError", cuda.Status!.Error!.Mro);
    }

    [Fact]
    public async Task Timeout_FailsWithAsyaTimeoutRestartsRuntimeNextSucceeds()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("slow", "sleepy", ActorTimeout: "1500ms"));
        await mesh.SendAsync(Envelopes.Create("to-0", ["slow"], """{"sleep":0}"""));
        var before = (await mesh.ResultAsync("to-0")).Payload.GetProperty("pid").GetInt32();

        await mesh.SendAsync(Envelopes.Create("to-1", ["slow"], """{"sleep":30}"""));
        var timedOut = await mesh.ResultAsync("to-1");
        Assert.Equal(EnvelopePhase.Failed, timedOut.Status!.Phase);
        Assert.Equal(EnvelopeReason.Timeout, timedOut.Status.Reason);
        Assert.Equal("asya.Timeout", timedOut.Status.Error!.Type);

        await mesh.SendAsync(Envelopes.Create("to-2", ["slow"], """{"sleep":0}"""));
        var after = await mesh.ResultAsync("to-2");
        Assert.Equal(EnvelopePhase.Succeeded, after.Status!.Phase);
        Assert.NotEqual(before, after.Payload.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task FanOut_ThreeFramesWithIdsAndParent()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("fan", "fanout"));
        await mesh.SendAsync(Envelopes.Create("fan-1", ["fan"], """{"count":3}"""));

        var first = await mesh.ResultAsync("fan-1");
        Assert.Null(first.ParentId);
        var children = new List<Envelope>();
        for (var i = 1; i < 3; i++)
        {
            var index = i;
            children.Add(await mesh.WaitAsync(e => e.ParentId == "fan-1" && e.Payload.GetProperty("index").GetInt32() == index, $"child {index}"));
        }

        Assert.All(children, c => Assert.True(Guid.TryParse(c.Id, out _)));
        Assert.Equal(3, children.Select(c => c.Id).Append(first.Id).Distinct().Count());
        Assert.Equal(0, first.Payload.GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task EmptyResponse_InputEnvelopeToSink()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("none", "nothing"));
        await mesh.SendAsync(Envelopes.Create("empty-1", ["none"], """{"keep":"me"}"""));

        var result = await mesh.ResultAsync("empty-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal("me", result.Payload.GetProperty("keep").GetString());
        Assert.Equal("none", result.Route!.Curr);
    }

    [Fact]
    public async Task LargeUnicodeAndNullPayloads_RoundTrip()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("size", "size"), new ActorSpec("echo", "echo"));
        var big = new string('x', 1024 * 1024);
        await mesh.SendAsync(Envelopes.Create("big-1", ["size"], JsonSerializer.Serialize(new { data = big, text = "Hello 世界 🌍" })));
        await mesh.SendAsync(Envelopes.Create("null-1", ["echo"], "null"));
        await mesh.SendAsync(Envelopes.Create("uni-1", ["echo"], """{"test_chars":"Hello 世界 — ñ ü 🌍"}"""));

        var sized = await mesh.ResultAsync("big-1");
        Assert.Equal(1024, sized.Payload.GetProperty("data_size_kb").GetInt32());
        Assert.Equal("Hello 世界 🌍", sized.Payload.GetProperty("test_chars").GetString());
        Assert.Equal(JsonValueKind.Null, (await mesh.ResultAsync("null-1")).Payload.ValueKind);
        Assert.Equal("Hello 世界 — ñ ü 🌍", (await mesh.ResultAsync("uni-1")).Payload.GetProperty("test_chars").GetString());
    }

    [Fact]
    public async Task MultiActorAndDynamicRoute_ReachSinkWithFullPrev()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("first", "echo"), new ActorSpec("second", "echo"), new ActorSpec("router", "reroute"));
        await mesh.SendAsync(Envelopes.Create("multi-1", ["first", "second"]));
        await mesh.SendAsync(Envelopes.Create("dyn-1", ["router"], """{"next":["second"]}"""));

        var multi = await mesh.ResultAsync("multi-1");
        Assert.Equal(["first", "second"], multi.Route!.Prev);
        var dynamic = await mesh.ResultAsync("dyn-1");
        Assert.Equal(["router", "second"], dynamic.Route!.Prev);
        Assert.Equal(EnvelopePhase.Succeeded, dynamic.Status!.Phase);
    }
}
