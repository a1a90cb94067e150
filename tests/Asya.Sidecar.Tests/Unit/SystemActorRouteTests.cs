using Asya.Runtime.Protocol;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Unit;

public sealed class SystemActorRouteTests
{
    [Theory]
    [InlineData("x-sink")]
    [InlineData("x-sump")]
    public async Task Handle_ReceivedNextNamesSystemActor_SumpRouteMismatchWithoutCallingRuntime(string system)
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b", system]));

        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopePhase.Failed, sent.Status!.Phase);
        Assert.Equal(EnvelopeReason.RouteMismatch, sent.Status.Reason);
        Assert.Contains($"'{system}'", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("route.next", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(h.Runtime.Invocations);
        Assert.Empty(h.Transport.SentTo(h.Options.QueueOf("b")));
    }

    [Fact]
    public async Task Handle_HandlerRewritesNextToSink_FrameGoesToSumpNotToSinkAsActor()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            var route = envelope.Route!.Clone();
            route.Next = ["x-sink", "b"];
            await onFrame(new Frame { Payload = envelope.Payload, Route = route.Advance() }, 0, ct);
            return new RuntimeCallResult(RuntimeCallStatus.Completed, 1);
        };
        var result = await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        Assert.True(result.Ack);
        Assert.Empty(h.Transport.SentTo(h.Options.QueueOf("x-sink")));
        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.RouteMismatch, sent.Status!.Reason);
        Assert.Equal("e1", sent.Id);
        Assert.Contains("'x-sink'", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sent.Payload.GetProperty("original_payload").GetProperty("x").GetInt32());
    }

    [Fact]
    public void SystemActorIn_ConfiguredNames_FoundInCurrOrNextOnly()
    {
        var router = new Router("a", "done", "dead");

        Assert.Equal("done", router.SystemActorIn(new Route { Curr = "a", Next = ["b", "done"] }));
        Assert.Equal("dead", router.SystemActorIn(new Route { Curr = "dead" }));
        Assert.Null(router.SystemActorIn(new Route { Prev = ["done"], Curr = "a", Next = ["x-sink"] }));
        Assert.Null(router.SystemActorIn(null));
    }
}
