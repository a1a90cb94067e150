using System.Diagnostics.Metrics;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Crew;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The terminal statuses x-sink and x-sump report for gateway tasks.</summary>
public sealed class CrewReportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>x-sink and x-sump on one reporter (reports leave in the order they were made), alive for the whole test.</summary>
    private sealed class Crew : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly SidecarOptions _options = new() { Actor = "x-sink", Namespace = "t" };
        private readonly FakeTimeProvider _time = new();
        private readonly SidecarMetrics _metrics;
        private readonly GatewayParts _gateway;

        public Crew()
        {
            _metrics = new SidecarMetrics(_services.GetRequiredService<IMeterFactory>(), "crew", "test");
            _gateway = new GatewayParts(_options, _metrics, _time);
        }

        public Task<DeliveryResult> HandleAsync(string builtin, Envelope envelope)
        {
            var options = _options with { Actor = builtin, Builtin = builtin };
            var crew = new CrewProcessor(options, new TestStateStore(), new EnvelopeSender(options, new TestTransport(), _metrics, _time), _metrics, _time,
                NullLogger<CrewProcessor>.Instance, _gateway.Reporter);
            return crew.HandleAsync(new TestMessage { Id = "m", Queue = options.OwnQueue, Body = envelope.ToUtf8Bytes() }, CancellationToken.None);
        }

        public void Dispose()
        {
            _gateway.Dispose();
            _services.Dispose();
        }
    }

    private static Envelope Finished(string id, string gateway, string phase, string? reason = null)
    {
        var envelope = Envelopes.Create(id, ["a"], """{"answer":42}""", $$"""{"{{MeshHeaders.GatewayUrl}}":"{{gateway}}"}""");
        envelope.Route = envelope.Route!.Advance();
        envelope.Status = new EnvelopeStatus { Phase = phase, Reason = reason, Actor = "a" };
        return envelope;
    }

    [Fact]
    public async Task Sink_Succeeded_ReportsSucceededWithPayloadAsResult()
    {
        await using var gateway = await RecordingGateway.StartAsync();

        using var crew = new Crew();
        await crew.HandleAsync("x-sink", Finished("t1", gateway.BaseUrl, EnvelopePhase.Succeeded));

        await gateway.EventCount.WaitAsync(1, Wait);
        var report = Assert.Single(gateway.EventsOf("t1"));
        Assert.Equal(("status", "succeeded", "x-sink"), ((string)report["type"]!, (string)report["status"]!, (string)report["actor"]!));
        Assert.Equal("""{"answer":42}""", report["result"]!.ToJsonString());
    }

    [Theory]
    [InlineData(EnvelopePhase.Canceled, EnvelopeReason.PreFlightCanceled)]
    [InlineData(EnvelopePhase.Paused, EnvelopeReason.PreFlightPaused)]
    public async Task Sink_PreFlightDivert_ReportsThatStatus(string phase, string reason)
    {
        await using var gateway = await RecordingGateway.StartAsync();

        using var crew = new Crew();
        await crew.HandleAsync("x-sink", Finished("t1", gateway.BaseUrl, phase, reason));

        await gateway.EventCount.WaitAsync(1, Wait);
        var report = Assert.Single(gateway.EventsOf("t1"));
        Assert.Equal((phase, reason), ((string)report["status"]!, (string)report["message"]!));
    }

    [Fact]
    public async Task FailedTask_ReportedOnceByTheSumpWithTheError()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        var failed = Finished("t1", gateway.BaseUrl, EnvelopePhase.Failed, EnvelopeReason.RuntimeError);
        failed.Status!.Error = new ErrorDetails { Message = "boom", Type = "ValueError" };

        using var crew = new Crew();
        await crew.HandleAsync("x-sink", failed);
        await crew.HandleAsync("x-sump", failed);

        await gateway.EventCount.WaitAsync(1, Wait);
        var report = Assert.Single(gateway.EventsOf("t1"));
        Assert.Equal(("failed", "x-sump", "boom"), ((string)report["status"]!, (string)report["actor"]!, (string)report["error"]!));
        Assert.Equal("ValueError", (string)report["error_details"]!["type"]!);
    }
}
