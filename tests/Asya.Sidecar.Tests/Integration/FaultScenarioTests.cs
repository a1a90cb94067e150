using System.Globalization;
using System.Text;
using System.Text.Json;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Asya.Testing.Envelopes;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>Issue 9 reproductions against real sidecars and the real Python runtime on the embedded transport.</summary>
public sealed class FaultScenarioTests
{
    private static string Policy(int maxAttempts) =>
        """{"default":{"maxAttempts":""" + maxAttempts.ToString(CultureInfo.InvariantCulture) + ""","backoff":"constant","initialDelay":"200ms"}}""";

    [Theory]
    [InlineData("exit", "exit code 3")]
    [InlineData("kill", "SIGKILL")]
    public async Task HandlerKillsItsRuntime_EnvelopeFailsRuntimeCrashedAndNextSucceeds(string how, string expected)
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("crash", "crash"));
        await mesh.SendAsync(Envelopes.Create("cr-1", ["crash"], $$"""{"how":"{{how}}"}"""));

        var failed = await mesh.ResultAsync("cr-1");
        Assert.Equal(EnvelopePhase.Failed, failed.Status!.Phase);
        Assert.Equal(EnvelopeReason.RuntimeError, failed.Status.Reason);
        Assert.Equal("asya.RuntimeCrashed", failed.Status.Error!.Type);
        Assert.Contains(expected, failed.Status.Error.Message, StringComparison.Ordinal);
        Assert.Contains("handler about to die: " + how, failed.Status.Error.Message, StringComparison.Ordinal);

        await mesh.SendAsync(Envelopes.Create("cr-2", ["crash"], """{"how":"none"}"""));
        Assert.Equal(EnvelopePhase.Succeeded, (await mesh.ResultAsync("cr-2")).Status!.Phase);
    }

    [Fact]
    public async Task RuntimeCrash_IsOneAttemptOfThePolicy_RetrySucceeds()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("crash-once", "crash_once", Policy(3)));
        await mesh.SendAsync(Envelopes.Create("co-1", ["crash-once"], """{"key":"co-1"}"""));

        var result = await mesh.ResultAsync("co-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(2, result.Status.Attempt);
    }

    [Fact]
    public async Task Timeout_NoEnvelopeReachesTheKilledRuntime_NoOverlapNoDuplicate()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("timed", "timed", ActorTimeout: "1500ms"));
        await mesh.SendAsync(Envelopes.Create("tr-0", ["timed"], """{"key":"tr-0","sleep":30}"""));
        for (var i = 1; i <= 4; i++)
        {
            await mesh.SendAsync(Envelopes.Create($"tr-{i}", ["timed"], $$"""{"key":"tr-{{i}}","sleep":0.2}"""));
        }

        Assert.Equal(EnvelopeReason.Timeout, (await mesh.ResultAsync("tr-0")).Status!.Reason);
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(EnvelopePhase.Succeeded, (await mesh.ResultAsync($"tr-{i}")).Status!.Phase);
        }

        var lines = (await File.ReadAllLinesAsync(mesh.Dir.Combine("timeline")))
            .Select(l => l.Split(' ')).Select(p => (Kind: p[0], Pid: int.Parse(p[1], CultureInfo.InvariantCulture), Key: p[2], At: long.Parse(p[3], CultureInfo.InvariantCulture)))
            .ToList();
        var timeline = string.Join('\n', lines);
        var timedOut = lines.Single(l => l.Kind == "start" && l.Key == "tr-0");
        Assert.DoesNotContain(lines, l => l.Key == "tr-0" && l.Kind == "end");
        foreach (var key in Enumerable.Range(1, 4).Select(i => $"tr-{i}"))
        {
            var starts = lines.Where(l => l.Kind == "start" && l.Key == key).ToList();
            Assert.True(starts.Count == 1, $"{key} started {starts.Count} times:\n{timeline}");
            // Pipelining may run one before tr-0 on the same process; none may start there once tr-0 is in its handler.
            Assert.True(starts[0].Pid != timedOut.Pid || starts[0].At < timedOut.At, $"{key} ran on the runtime being killed ({timedOut.Pid}):\n{timeline}");
        }

        // Concurrency 1: every start after the first comes after the previous envelope ended (tr-0 never ends; nothing else
        // may start on its process, checked above, and its successor starts only after the kill).
        var others = lines.Where(l => l.Key != "tr-0").ToList();
        for (var i = 1; i < others.Count; i++)
        {
            Assert.True(others[i].Kind != others[i - 1].Kind, $"handlers overlapped at line {i}:\n{timeline}");
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(500)]
    public async Task DeepPayload_PassesEndToEnd(int depth)
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("echo", "echo"));
        var payload = new string('[', depth) + "1" + new string(']', depth);
        await mesh.SendAsync(Envelopes.Create("deep-" + depth, ["echo"], payload));

        var result = await mesh.ResultAsync("deep-" + depth);
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(payload, result.Payload.GetRawText());
    }

    [Fact]
    public async Task HandlerReturns70Levels_Succeeds()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("deep", "deep"));
        await mesh.SendAsync(Envelopes.Create("deep-70", ["deep"], """{"depth":70}"""));

        var result = await mesh.ResultAsync("deep-70");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.StartsWith(new string('[', 70) + "\"leaf\"", result.Payload.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payload600Deep_SumpParseErrorNamingTheLimit()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("echo", "echo"));
        var body = """{"id":"deep-600","route":{"prev":[],"curr":"echo","next":[]},"payload":""" + new string('[', 600) + new string(']', 600) + "}";
        await mesh.SendRawAsync("echo", Encoding.UTF8.GetBytes(body));

        var sump = await mesh.SumpAsync("deep-600");
        Assert.Equal(EnvelopeReason.ParseError, sump.Status!.Reason);
        var error = sump.Payload.GetProperty("error").GetString()!;
        Assert.Contains("512", error, StringComparison.Ordinal);
        Assert.Contains("ASYA_MAX_JSON_DEPTH", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerRoutesToInvalidActorName_SumpRouteInvalid()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("rr", "reroute"));
        await mesh.SendAsync(Envelopes.Create("ri-1", ["rr"], """{"next":["Not_A_DNS_Label!"]}"""));

        var sump = await mesh.SumpAsync("ri-1");
        Assert.Equal("RouteInvalid", sump.Status!.Reason);
        Assert.Contains("'Not_A_DNS_Label!'", sump.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
    [Fact]
    public async Task MutatedEnvelopes_EachEndsOnceInSinkOrSump_SidecarStaysUp()
    {
        var seed = Environment.GetEnvironmentVariable("ASYA_TEST_SEED") is { Length: > 0 } s ? int.Parse(s, CultureInfo.InvariantCulture) : 4242;
        var mutator = new EnvelopeMutator(seed);
        await using var mesh = await Mesh.StartAsync(new ActorSpec("mut", "echo"));
        var tracked = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 300; i++)
        {
            var id = "m-" + i.ToString(CultureInfo.InvariantCulture);
            var mutated = mutator.Next(EnvelopeMutator.ValidEnvelope(id, "mut"));
            await mesh.SendRawAsync("mut", mutated.Body);
            if (EnvelopeParser.TryReadId(mutated.Body) == id)
            {
                tracked[id] = $"seed {seed} (ASYA_TEST_SEED), case {i}: {mutated.Mutations}";
            }
        }

        Assert.NotEmpty(tracked);
        await mesh.SendAsync(Envelopes.Create("after-mutants", ["mut"]));
        Assert.Equal(EnvelopePhase.Succeeded, (await mesh.ResultAsync("after-mutants")).Status!.Phase);
        var depths = (IQueueDepthSource)mesh.Transport;
        await Eventually.TrueAsync(
            async () => (await depths.GetQueueDepthAsync(Mesh.Queue("mut"), CancellationToken.None)).Total == 0, TimeSpan.FromSeconds(30), "the actor queue to drain");
        foreach (var (id, where) in tracked)
        {
            var ended = await Eventually.GetAsync(
                async () => await mesh.Store.GetAsync(id, CancellationToken.None) ?? await mesh.Store.GetAsync("sump/" + id, CancellationToken.None),
                TimeSpan.FromSeconds(30), where);
            var sink = await mesh.Store.GetAsync(id, CancellationToken.None);
            var sump = await mesh.Store.GetAsync("sump/" + id, CancellationToken.None);
            if (sink is not null && Envelopes.Parse(sink.Value).Status?.Phase == EnvelopePhase.Succeeded)
            {
                Assert.True(sump is null, $"{where}: succeeded and dead-lettered");
            }

            if (sump is not null)
            {
                Assert.NotEqual(EnvelopeReason.SidecarError, Envelopes.Parse(sump.Value).Status!.Reason);
            }

            Assert.NotNull(ended);
        }
    }
}
