using System.Diagnostics;
using System.Globalization;
using System.Text;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;

namespace Asya.Sidecar.Tests.Integration;

public sealed class InfrastructureScenarioTests
{
    [Fact]
    public async Task ExpiredDeadline_SinkFailedTimeoutRuntimeNotCalled()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("rec", "record"));
        var envelope = Envelopes.Create("sla-1", ["rec"], """{"key":"sla-1"}""");
        envelope.Status = new EnvelopeStatus { Actor = "rec", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1), DeadlineAt = DateTimeOffset.UtcNow.AddSeconds(-1) };
        await mesh.SendAsync(envelope);
        await mesh.SendAsync(Envelopes.Create("sla-2", ["rec"], """{"key":"sla-2"}"""));

        var result = await mesh.ResultAsync("sla-1");
        Assert.Equal(EnvelopePhase.Failed, result.Status!.Phase);
        Assert.Equal(EnvelopeReason.Timeout, result.Status.Reason);
        await mesh.ResultAsync("sla-2");
        Assert.True(File.Exists(mesh.Dir.Combine("called-sla-2")));
        Assert.False(File.Exists(mesh.Dir.Combine("called-sla-1")));
    }

    [Fact]
    public async Task RouteOverride_SentToTargetAndAccepted()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("echo", "echo"), new ActorSpec("canary", "echo"));
        await mesh.SendAsync(Envelopes.Create("ovr-1", ["echo", "stable"], headersJson: """{"x-asya-route-override":{"stable":"canary"}}"""));

        var result = await mesh.ResultAsync("ovr-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(["echo", "stable"], result.Route!.Prev);
        Assert.Equal("canary", result.Headers![MeshHeaders.RouteResolved]!["stable"]!["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task RouteMismatchParseErrorMissingId_GoToSump()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("echo", "echo"));
        await mesh.SendRawAsync("echo", Envelopes.Create("mm-1", ["elsewhere"]).ToUtf8Bytes());
        await mesh.SendRawAsync("echo", Encoding.UTF8.GetBytes("""{"id":"pe-1","route":{"""));
        await mesh.SendRawAsync("echo", Encoding.UTF8.GetBytes("""{"route":{"prev":[],"curr":"echo","next":[]},"payload":"no-id-marker"}"""));

        var mismatch = await mesh.SumpAsync("mm-1");
        Assert.Equal(EnvelopeReason.RouteMismatch, mismatch.Status!.Reason);
        var parse = await mesh.SumpAsync("pe-1");
        Assert.Equal(EnvelopeReason.ParseError, parse.Status!.Reason);
        Assert.StartsWith("{\"id\":\"pe-1\"", parse.Payload.GetProperty("original_body").GetString(), StringComparison.Ordinal);
        var noId = await mesh.WaitAsync(
            e => e.Payload.ValueKind == System.Text.Json.JsonValueKind.Object
                && e.Payload.TryGetProperty("original_body", out var body) && body.GetString()!.Contains("no-id-marker", StringComparison.Ordinal),
            "the envelope without id in x-sump");
        Assert.Equal(EnvelopeReason.ParseError, noId.Status!.Reason);
    }

    [Fact]
    public async Task RuntimeKilledMidHandler_CountsAsAnAttempt_RetrySucceeds()
    {
        // A runtime that dies while handling an envelope fails that attempt (asya.RuntimeCrashed); the policy retries it.
        const string policy = """{"default":{"maxAttempts":2,"backoff":"constant","initialDelay":"200ms"}}""";
        await using var mesh = await Mesh.StartAsync(new ActorSpec("slow", "slow_once", policy));
        await mesh.SendAsync(Envelopes.Create("kill-1", ["slow"], """{"key":"kill-1"}"""));
        var pidFile = mesh.Dir.Combine("pid-kill-1");
        var pidText = await Eventually.GetAsync(
            async () => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0 ? await File.ReadAllTextAsync(pidFile) : null,
            TimeSpan.FromSeconds(20), "the handler to start");
        using (var runtime = Process.GetProcessById(int.Parse(pidText, CultureInfo.InvariantCulture)))
        {
            runtime.Kill();
        }

        var result = await mesh.ResultAsync("kill-1");
        Assert.Equal(EnvelopePhase.Succeeded, result.Status!.Phase);
        Assert.Equal(2, result.Status.Attempt);
    }

    [Fact]
    public async Task MaxDeliveries_AfterCrashedDeliveries_SumpOnceAckedNoLoop()
    {
        await using var mesh = await Mesh.StartAsync();
        await mesh.SendAsync(Envelopes.Create("md-1", ["crashy"], """{"key":"md-1"}"""));
        var queue = Mesh.Queue("crashy");

        // Two simulated crashes: received and never acked; the short visibility timeout hands the message back.
        var crash = new ReceiveOptions(1, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
        for (var i = 1; i <= 2; i++)
        {
            var attempt = i;
            var got = await Eventually.GetAsync(
                async () => await mesh.Transport.ReceiveAsync(queue, crash, CancellationToken.None) is [var message, ..] ? message : null,
                TimeSpan.FromSeconds(10), $"delivery {attempt}");
            Assert.Equal(attempt, got.DeliveryCount);
        }

        mesh.StartActor(new ActorSpec("crashy", "record", MaxDeliveries: 2));
        var sump = await mesh.SumpAsync("md-1");
        Assert.Equal(EnvelopePhase.Failed, sump.Status!.Phase);
        Assert.Equal(EnvelopeReason.MaxDeliveries, sump.Status.Reason);
        Assert.Contains("3 times", sump.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Work after it flows normally (so the sidecar is past md-1), and md-1 is gone from the queue for good.
        await mesh.SendAsync(Envelopes.Create("md-2", ["crashy"], """{"key":"md-2"}"""));
        Assert.Equal(EnvelopePhase.Succeeded, (await mesh.ResultAsync("md-2")).Status!.Phase);
        var depths = (IQueueDepthSource)mesh.Transport;
        await Eventually.TrueAsync(
            async () => (await depths.GetQueueDepthAsync(queue, CancellationToken.None)).Total == 0, TimeSpan.FromSeconds(10), "crashy queue drained");
        Assert.False(File.Exists(mesh.Dir.Combine("called-md-1")));
        Assert.Null(await mesh.Store.GetAsync("md-1", CancellationToken.None));
    }

    [Fact]
    public async Task HandlerRoutesToSink_SumpRouteMismatchNotDeliveredAsActor()
    {
        await using var mesh = await Mesh.StartAsync(new ActorSpec("rr", "reroute"));
        await mesh.SendAsync(Envelopes.Create("sys-1", ["rr"], """{"next":["x-sink","after"]}"""));
        await mesh.SendAsync(Envelopes.Create("sys-2", ["rr", "x-sump"], """{"next":[]}"""));

        var fromFrame = await mesh.SumpAsync("sys-1");
        Assert.Equal(EnvelopeReason.RouteMismatch, fromFrame.Status!.Reason);
        Assert.Contains("'x-sink'", fromFrame.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        var received = await mesh.SumpAsync("sys-2");
        Assert.Equal(EnvelopeReason.RouteMismatch, received.Status!.Reason);
        Assert.Contains("'x-sump'", received.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
