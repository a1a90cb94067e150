using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Crew;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>Crew x-pause and x-resume on a real state.sqlite: checkpoint, merge, route restored, a task resumed once.</summary>
public sealed class PauseResumeTests : IAsyncLifetime, IDisposable
{
    private const string Metadata = """{"prompt":"Approve?","fields":[{"name":"approved","type":"boolean","payload_key":"/review/approved"}]}""";

    private readonly TempDirectory _dir = new();
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging().AddMetrics().AddSingleton(TimeProvider.System).AddAsyaComponents().AddSqliteComponents().BuildServiceProvider();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TestTransport _transport = new();
    private RecordingGateway _gateway = null!;
    private IStateStore _store = null!;
    private SidecarMetrics _metrics = null!;
    private GatewayParts _parts = null!;

    public async Task InitializeAsync()
    {
        _gateway = await RecordingGateway.StartAsync();
        _store = await LoadedComponents.CreateAsync<IStateStore>(
            _services.GetRequiredService<ComponentRegistry>(), _services,
            ComponentSpec.Create("state", "state.sqlite", ("connectionString", _dir.Combine("asya.db"))), CancellationToken.None);
        _metrics = new SidecarMetrics(_services.GetRequiredService<IMeterFactory>(), "crew", "test");
        _parts = new GatewayParts(Options(ActorNames.Pause), _metrics, _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _gateway.DisposeAsync();
        await _transport.DisposeAsync();
        await _services.DisposeAsync();
    }

    public void Dispose()
    {
        _parts.Dispose();
        _dir.Dispose();
    }

    private static SidecarOptions Options(string builtin, string mergeMode = "shallow") =>
        new() { Actor = builtin, Builtin = builtin, Namespace = "t", ResumeMergeMode = mergeMode };

    private Task<DeliveryResult> PauseAsync(Envelope envelope)
    {
        var options = Options(ActorNames.Pause);
        var pause = new PauseProcessor(options, _store, new EnvelopeSender(options, _transport, _metrics, _time), _metrics, _time,
            NullLogger<PauseProcessor>.Instance, _parts.Reporter);
        return pause.HandleAsync(Message(envelope), CancellationToken.None);
    }

    private Task<DeliveryResult> ResumeAsync(string taskId, string inputJson, string mergeMode = "shallow")
    {
        var options = Options(ActorNames.Resume, mergeMode);
        var resume = new ResumeProcessor(options, _store, new Router(options.Actor, options.Sink, options.Sump),
            new EnvelopeSender(options, _transport, _metrics, _time), _metrics, _time, NullLogger<ResumeProcessor>.Instance, _parts.Reporter);
        var message = Envelopes.Create(Guid.NewGuid().ToString(), [ActorNames.Resume], inputJson, $$"""{"{{MeshHeaders.ResumeTask}}":"{{taskId}}","{{MeshHeaders.ResumeTimeout}}":"60"}""");
        return resume.HandleAsync(Message(message), CancellationToken.None);
    }

    private static TestMessage Message(Envelope envelope) => new() { Id = "m", Queue = "q", Body = envelope.ToUtf8Bytes() };

    private Envelope AtPause(string id, string? next = "publish", string? metadata = Metadata)
    {
        var headers = new JsonObject { [MeshHeaders.GatewayUrl] = _gateway.BaseUrl, [MeshHeaders.RouteOverride] = new JsonObject { ["x"] = "y" } };
        if (metadata is not null)
        {
            headers[MeshHeaders.PauseMetadata] = JsonNode.Parse(metadata);
        }

        var envelope = Envelopes.Create(id, ["draft", ActorNames.Pause, .. next is null ? Array.Empty<string>() : [next]], """{"text":"hi","review":{"by":"ann"}}""");
        envelope.Route = envelope.Route!.Advance();
        envelope.Headers = headers;
        envelope.Status = new EnvelopeStatus { Phase = EnvelopePhase.Pending, Actor = ActorNames.Pause, CreatedAt = _time.GetUtcNow() };
        return envelope;
    }

    private IReadOnlyList<OutgoingMessage> SentTo(string actor) => _transport.SentTo(ActorNames.Queue("t", actor));

    [Fact]
    public async Task Pause_StoresCheckpointUnderPausedId_ReportsPausedWithMetadata_RoutesNothing()
    {
        var result = await PauseAsync(AtPause("t1"));

        Assert.Equal(DeliveryOutcome.Paused.Name, result.Outcome);
        Assert.Empty(_transport.Sent);
        var stored = await _store.GetAsync("paused/t1", CancellationToken.None);
        var checkpoint = JsonNode.Parse(stored!.Value.Span)!;
        Assert.Equal("""{"prev":["draft"],"curr":"x-pause","next":["x-resume","publish"]}""", checkpoint["route"]!.ToJsonString());
        Assert.Equal("Approve?", (string)checkpoint["_pause_metadata"]!["prompt"]!);
        Assert.Null(checkpoint["headers"]![MeshHeaders.RouteOverride]);
        Assert.Equal(EnvelopePhase.Paused, (string)checkpoint["status"]!["phase"]!);

        await _gateway.EventCount.WaitAsync(1, TimeSpan.FromSeconds(10));
        var report = Assert.Single(_gateway.EventsOf("t1"));
        Assert.Equal(("paused", "x-pause", "Approve?"), ((string)report["status"]!, (string)report["actor"]!, (string)report["message"]!));
        Assert.Equal("/review/approved", (string)report["pause_metadata"]!["fields"]![0]!["payload_key"]!);
    }

    [Fact]
    public async Task Resume_MapsFieldsRestoresRouteRoutesOn_SecondResumeRoutesNothing()
    {
        await PauseAsync(AtPause("t1"));

        var first = await ResumeAsync("t1", """{"approved":true,"ignored":1}""");
        var second = await ResumeAsync("t1", """{"approved":false}""");

        Assert.Equal(DeliveryOutcome.Resumed.Name, first.Outcome);
        Assert.Equal(DeliveryOutcome.ResumeIgnored.Name, second.Outcome);
        var routed = Envelopes.Parse(Assert.Single(SentTo("publish")).Body);
        Assert.Equal("t1", routed.Id);
        Assert.Equal(["draft", "x-pause", "x-resume"], routed.Route!.Prev);
        Assert.Equal(("publish", EnvelopePhase.Pending), (routed.Route.Curr, routed.Status!.Phase));
        Assert.Equal("""{"text":"hi","review":{"by":"ann","approved":true}}""", routed.Payload.GetRawText());
        Assert.Equal(_gateway.BaseUrl, (string)routed.Headers![MeshHeaders.GatewayUrl]!);
        Assert.Null(routed.Headers[MeshHeaders.ResumeTask]);
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), routed.Status.DeadlineAt);
        Assert.Null(await _store.GetAsync("paused/t1", CancellationToken.None));
    }

    [Fact]
    public async Task Resume_TwoAtOnce_ExactlyOneRoutes()
    {
        for (var round = 0; round < 10; round++)
        {
            await PauseAsync(AtPause($"r{round}"));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(round => new[]
        {
            Task.Run(() => ResumeAsync($"r{round}", """{"approved":true}""")),
            Task.Run(() => ResumeAsync($"r{round}", """{"approved":false}""")),
        }));

        Assert.Equal(10, results.Count(r => r.Outcome == DeliveryOutcome.Resumed.Name));
        Assert.Equal(10, results.Count(r => r.Outcome == DeliveryOutcome.ResumeIgnored.Name));
        Assert.Equal(10, SentTo("publish").Select(m => Envelopes.Parse(m.Body).Id).Distinct().Count());
        Assert.Equal(10, SentTo("publish").Count);
    }

    [Fact]
    public async Task Resume_UnknownTask_Ignored()
    {
        var result = await ResumeAsync("never-paused", """{"approved":true}""");

        Assert.Equal(DeliveryOutcome.ResumeIgnored.Name, result.Outcome);
        Assert.Empty(_transport.Sent);
    }

    [Fact]
    public async Task Resume_RouteEndsAfterResume_ToSinkSucceeded()
    {
        await PauseAsync(AtPause("t1", next: null, metadata: null));

        await ResumeAsync("t1", """{"note":"ok"}""");

        var sunk = Envelopes.Parse(Assert.Single(SentTo("x-sink")).Body);
        Assert.Equal((EnvelopePhase.Succeeded, ""), (sunk.Status!.Phase, sunk.Route!.Curr));
        Assert.Equal("""{"text":"hi","review":{"by":"ann"},"note":"ok"}""", sunk.Payload.GetRawText());
    }

    [Fact]
    public async Task Resume_SendFails_CheckpointPutBackAndMessageNacked()
    {
        await PauseAsync(AtPause("t1"));
        _transport.FailSendTo = queue => queue.EndsWith("-publish", StringComparison.Ordinal);

        await Assert.ThrowsAsync<EnvelopeSendException>(() => ResumeAsync("t1", """{"approved":true}"""));
        Assert.NotNull(await _store.GetAsync("paused/t1", CancellationToken.None));

        _transport.FailSendTo = null;
        Assert.Equal(DeliveryOutcome.Resumed.Name, (await ResumeAsync("t1", """{"approved":true}""")).Outcome);
    }

    [Theory]
    [InlineData("shallow", """{"text":"hi","review":{"ok":true}}""")]
    [InlineData("deep", """{"text":"hi","review":{"by":"ann","ok":true}}""")]
    public async Task Resume_WithoutFieldMappings_MergesByMode(string mode, string expected)
    {
        await PauseAsync(AtPause("t1", metadata: null));

        await ResumeAsync("t1", """{"review":{"ok":true}}""", mode);

        Assert.Equal(expected, Envelopes.Parse(Assert.Single(SentTo("publish")).Body).Payload.GetRawText());
    }
}
