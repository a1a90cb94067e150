using System.Net;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The check before the handler: a canceled or paused task is diverted to x-sink; errors let the envelope through.</summary>
public sealed class PreFlightTests
{
    private static Envelope Task(string id, string gateway) =>
        Envelopes.Create(id, ["a", "b"], headersJson: $$"""{"{{MeshHeaders.GatewayUrl}}":"{{gateway}}"}""");

    [Theory]
    [InlineData("canceled", EnvelopePhase.Canceled, EnvelopeReason.PreFlightCanceled, "preflight-canceled")]
    [InlineData("paused", EnvelopePhase.Paused, EnvelopeReason.PreFlightPaused, "preflight-paused")]
    public async Task TaskCanceledOrPaused_ToSinkWithReason_HandlerNotCalled(string status, string phase, string reason, string outcome)
    {
        await using var gateway = await RecordingGateway.StartAsync();
        gateway.Statuses["t1"] = status;
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));
        var input = Task("t1", gateway.BaseUrl);
        input.Status = new EnvelopeStatus { Phase = EnvelopePhase.Pending, Actor = "a", CreatedAt = h.Time.GetUtcNow().AddMinutes(-1) };

        var result = await h.HandleAsync(input);

        Assert.True(result.Ack);
        Assert.Equal(outcome, result.Outcome);
        Assert.Empty(h.Runtime.Invocations);
        var sunk = h.Single("x-sink");
        Assert.Equal((phase, reason, "a"), (sunk.Status!.Phase, sunk.Status.Reason, sunk.Status.Actor));
        Assert.Equal(input.Status.CreatedAt, sunk.Status.CreatedAt);
        Assert.Equal(input.Route!.Curr, sunk.Route!.Curr);
    }

    [Fact]
    public async Task Running_HandlerCalled_AnswerCachedUntilTtlPassed()
    {
        await using var gateway = await RecordingGateway.StartAsync();
        gateway.Statuses["t1"] = "running";
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));

        await h.HandleAsync(Task("t1", gateway.BaseUrl));
        gateway.Statuses["t1"] = "canceled";
        var cached = await h.HandleAsync(Task("t1", gateway.BaseUrl));
        h.Time.Advance(h.Options.PreFlightCacheTtl);
        var fresh = await h.HandleAsync(Task("t1", gateway.BaseUrl));

        Assert.Equal(2, gateway.Reads["t1"]);
        Assert.Equal(DeliveryOutcome.Succeeded.Name, cached.Outcome);
        Assert.Equal(DeliveryOutcome.PreFlightCanceled.Name, fresh.Outcome);
        Assert.Equal(2, h.Runtime.Invocations.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task GatewayErrorOrUnknownTask_FailsOpen(HttpStatusCode answer)
    {
        await using var gateway = await RecordingGateway.StartAsync();
        gateway.ReadFailure = answer;
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));

        var result = await h.HandleAsync(Task("t1", gateway.BaseUrl));

        Assert.Equal(DeliveryOutcome.Succeeded.Name, result.Outcome);
        Assert.Single(h.Runtime.Invocations);
        Assert.Equal(1, gateway.Reads["t1"]);
    }

    [Fact]
    public async Task NothingListening_FailsOpen()
    {
        using var h = new ProcessorHarness(gatewayTimeout: TimeSpan.FromSeconds(5));

        var result = await h.HandleAsync(Task("t1", SilentGateway.Closed()));

        Assert.Equal(DeliveryOutcome.Succeeded.Name, result.Outcome);
        Assert.Single(h.Runtime.Invocations);
    }
}
