using System.Text;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing.Envelopes;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>Envelopes any outside producer can write, and sidecar faults: every delivery ends in one outcome, none loops.</summary>
public sealed class PoisonEnvelopeTests
{
    private const string Valid = """{"id":"p1","route":{"prev":[],"curr":"a","next":[]},"payload":{"x":1}}""";

    [Theory]
    [InlineData("""{"id":"p1","route":{"prev":null,"curr":"a","next":[]},"payload":1}""", "route.prev")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":null},"payload":1}""", "route.next")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":null,"next":[]},"payload":1}""", "route.curr")]
    [InlineData("""{"id":"p1","route":{"prev":[null],"curr":"a","next":[]},"payload":1}""", "route.prev")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":[1]},"payload":1}""", "route.next")]
    [InlineData("""{"id":"p1","route":null,"payload":1}""", "route")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":null,"actor":"a"}}""", "status.phase")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":null}}""", "status.actor")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":[]},"payload":1,"status":{"phase":"pending","actor":"a","error":{"message":"m","type":"T","mro":null,"traceback":""}}}""", "status.error.mro")]
    [InlineData("""{"id":"p1","route":{"prev":[],"curr":"a","next":[]},"payload":1,"headers":7}""", "headers")]
    public async Task Handle_NullOrWrongTypeInEnvelope_SumpParseErrorNamingField(string body, string field)
    {
        using var h = new ProcessorHarness();
        var result = await h.HandleAsync(Encoding.UTF8.GetBytes(body));

        Assert.True(result.Ack);
        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.ParseError, sent.Status!.Reason);
        Assert.Contains($"'{field}'", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(h.Runtime.Invocations);
    }

    [Fact]
    public async Task Handle_NullRouteAboveMaxDeliveries_SumpNotThrow()
    {
        using var h = new ProcessorHarness(maxDeliveries: 1);
        var result = await h.HandleAsync(Encoding.UTF8.GetBytes("""{"id":"p1","route":{"prev":null,"curr":"a","next":null},"payload":1}"""), deliveryCount: 5);

        Assert.True(result.Ack);
        Assert.Equal(EnvelopePhase.Failed, h.Single("x-sump").Status!.Phase);
    }

    [Fact]
    public async Task Handle_NullParentIdAndHeaders_NormalisedAndProcessed()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Encoding.UTF8.GetBytes("""{"id":"p1","parent_id":null,"route":{"prev":[],"curr":"a","next":[]},"headers":null,"payload":1,"status":null}"""));

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Succeeded, sent.Status!.Phase);
        Assert.Null(sent.ParentId);
    }

    [Fact]
    public async Task Handle_ExceptionInsideProcessing_SumpSidecarErrorWithTypeAcked()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => throw new InvalidOperationException("a bug in the sidecar");
        var result = await h.HandleAsync(Encoding.UTF8.GetBytes(Valid));

        Assert.True(result.Ack);
        var sent = h.Single("x-sump");
        Assert.Equal("p1", sent.Id);
        Assert.Equal(EnvelopePhase.Failed, sent.Status!.Phase);
        Assert.Equal("SidecarError", sent.Status.Reason);
        Assert.Equal("System.InvalidOperationException", sent.Status.Error!.Type);
        Assert.Equal(Valid, sent.Payload.GetProperty("original_body").GetString());
    }

    [Fact]
    public async Task Handle_SendToNextQueueFails_NackedForRedelivery()
    {
        using var h = new ProcessorHarness();
        h.Transport.FailSendTo = queue => queue == h.Options.QueueOf("x-sink");
        var failed = await Record.ExceptionAsync(() => h.HandleAsync(Encoding.UTF8.GetBytes(Valid)));

        // Could not hand the envelope on to any queue: the one case that stays a nack (the receive loop nacks on throw).
        Assert.IsType<Asya.Sidecar.Engine.EnvelopeSendException>(failed);
        Assert.Empty(h.Transport.Sent);
    }

    [Fact]
    public async Task Handle_InvalidUtf8InsideString_SumpParseErrorWithBase64OriginalBody()
    {
        using var h = new ProcessorHarness();
        byte[] body = [.. """{"id":"u1","route":{"prev":[],"curr":"a","next":[]},"payload":{"t":"ab"""u8, 0xFF, 0xFE, .. "\"}}"u8];
        var result = await h.HandleAsync(body);

        Assert.True(result.Ack);
        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.ParseError, sent.Status!.Reason);
        Assert.Equal("u1", sent.Id);
        Assert.Contains("UTF-8", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(Convert.ToBase64String(body), sent.Payload.GetProperty("original_body").GetString());
        Assert.Empty(h.Runtime.Invocations);
    }

    [Theory]
    [InlineData("Not_A_DNS_Label!")]
    [InlineData("UPPER")]
    [InlineData("")]
    [InlineData("a-name-that-is-far-too-long-for-a-dns-label-because-it-has-more-than-63")]
    public async Task Handle_FrameRoutesToInvalidActorName_SumpRouteInvalid(string name)
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            await onFrame(new Frame { Payload = envelope.Payload, Route = new Route { Prev = ["a"], Curr = "b", Next = [name] } }, 0, ct);
            return new RuntimeCallResult(RuntimeCallStatus.Completed, 1);
        };
        await h.HandleAsync(Encoding.UTF8.GetBytes(Valid));

        var sent = h.Single("x-sump");
        Assert.Equal("RouteInvalid", sent.Status!.Reason);
        Assert.Contains($"'{name}'", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(h.Transport.Sent);
    }

    [Fact]
    public async Task Handle_RandomMutationsOfValidEnvelopes_EachEndsInExactlyOneOfSinkOrSump()
    {
        var seed = Environment.GetEnvironmentVariable("ASYA_TEST_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 20261203;
        var mutator = new EnvelopeMutator(seed);
        using var h = new ProcessorHarness();
        var sink = h.Options.QueueOf("x-sink");
        var sump = h.Options.QueueOf("x-sump");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal) { [sink] = 0, [sump] = 0 };
        for (var i = 0; i < 3000; i++)
        {
            var mutated = mutator.Next(EnvelopeMutator.ValidEnvelope("m-" + i, "a"));
            h.Transport.Sent.Clear();
            var where = $"seed {seed} (ASYA_TEST_SEED), case {i}: {mutated.Mutations}";
            DeliveryResultOrError result;
            try
            {
                result = new(await h.HandleAsync(mutated.Body), null);
            }
            catch (Exception ex)
            {
                result = new(null, ex);
            }

            Assert.True(result.Error is null, $"{where}: threw {result.Error}");
            Assert.True(result.Result!.Ack, $"{where}: not acked ({result.Result.Outcome})");
            var sent = h.Transport.Sent.ToList();
            Assert.True(sent.Count == 1, $"{where}: {sent.Count} envelopes sent ({string.Join(", ", sent.Select(x => x.Queue))})");
            Assert.True(sent[0].Queue == sink || sent[0].Queue == sump, $"{where}: sent to {sent[0].Queue}");
            Assert.True(EnvelopeParser.TryParse(sent[0].Message.Body.Span, out _, out var resent), $"{where}: sent an envelope that does not parse: {resent}");
            outcomes[sent[0].Queue]++;
        }

        Assert.True(outcomes[sink] > 0 && outcomes[sump] > 0, $"seed {seed}: sink {outcomes[sink]}, sump {outcomes[sump]}");
    }

    private sealed record DeliveryResultOrError(Asya.Sidecar.Engine.DeliveryResult? Result, Exception? Error);
}
