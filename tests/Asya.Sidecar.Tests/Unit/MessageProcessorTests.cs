using System.Text;
using System.Text.Json;
using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Unit;

public sealed class MessageProcessorTests
{
    private static ResiliencySettings Retry(int maxAttempts, string[]? onExhausted = null, TimeSpan? maxDuration = null) => new()
    {
        Policies = new Dictionary<string, RetryPolicy>
        {
            ["default"] = new()
            {
                Name = "default",
                MaxAttempts = maxAttempts,
                Backoff = BackoffKind.Constant,
                InitialDelay = TimeSpan.FromSeconds(2),
                OnExhausted = onExhausted ?? [],
                MaxDuration = maxDuration ?? TimeSpan.Zero,
            },
        },
    };

    [Fact]
    public async Task Handle_HappyPath_RoutesToNextActorAsPending()
    {
        using var h = new ProcessorHarness();
        var result = await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        Assert.True(result.Ack);
        var sent = h.Single("b");
        Assert.Equal("e1", sent.Id);
        Assert.Equal(["a"], sent.Route!.Prev);
        Assert.Equal("b", sent.Route.Curr);
        Assert.Equal(EnvelopePhase.Pending, sent.Status!.Phase);
        Assert.Equal("b", sent.Status.Actor);
        Assert.Equal(1, sent.Status.Attempt);
        Assert.Equal(1, sent.Status.MaxAttempts);
        Assert.NotNull(sent.Headers![MeshHeaders.FirstAttempt]);
    }

    [Fact]
    public async Task Handle_LastActor_GoesToSinkSucceeded()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Succeeded, sent.Status!.Phase);
        Assert.Equal(EnvelopeReason.Completed, sent.Status.Reason);
        Assert.Equal("a", sent.Status.Actor);
        Assert.True(sent.Status.CreatedAt <= sent.Status.UpdatedAt);
    }

    [Fact]
    public async Task Handle_ParseError_GoesToSumpWithOriginalBody()
    {
        using var h = new ProcessorHarness();
        var result = await h.HandleAsync(Encoding.UTF8.GetBytes("{not json"));

        Assert.True(result.Ack);
        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.ParseError, sent.Status!.Reason);
        Assert.Equal(EnvelopePhase.Failed, sent.Status.Phase);
        Assert.Equal("{not json", sent.Payload.GetProperty("original_body").GetString());
        Assert.Empty(h.Runtime.Invocations);
    }

    [Fact]
    public async Task Handle_NonUtf8Body_OriginalBodyIsBase64()
    {
        using var h = new ProcessorHarness();
        byte[] body = [0xff, 0xfe, 0x01];
        await h.HandleAsync(body);

        var sent = h.Single("x-sump");
        Assert.Equal(Convert.ToBase64String(body), sent.Payload.GetProperty("original_body").GetString());
    }

    [Fact]
    public async Task Handle_MissingId_GoesToSumpParseError()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Encoding.UTF8.GetBytes("""{"route":{"prev":[],"curr":"a","next":[]},"payload":1}"""));

        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.ParseError, sent.Status!.Reason);
        Assert.Contains("id", sent.Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_TooManyDeliveries_GoesToSumpMaxDeliveries()
    {
        using var h = new ProcessorHarness(maxDeliveries: 3);
        await h.HandleAsync(Envelopes.Create("e1", ["a"]), deliveryCount: 4);

        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.MaxDeliveries, sent.Status!.Reason);
        Assert.Empty(h.Runtime.Invocations);
    }

    [Fact]
    public async Task Handle_ExpiredDeadline_SinkFailedTimeoutWithoutCallingRuntime()
    {
        using var h = new ProcessorHarness();
        var envelope = Envelopes.Create("e1", ["a", "b"]);
        envelope.Status = new EnvelopeStatus { Actor = "a", CreatedAt = h.Time.GetUtcNow(), DeadlineAt = h.Time.GetUtcNow().AddMilliseconds(500) };
        await h.HandleAsync(envelope);

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Failed, sent.Status!.Phase);
        Assert.Equal(EnvelopeReason.Timeout, sent.Status.Reason);
        Assert.Empty(h.Runtime.Invocations);
    }

    [Fact]
    public async Task Handle_RouteMismatch_GoesToSump()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["other"]));

        var sent = h.Single("x-sump");
        Assert.Equal(EnvelopeReason.RouteMismatch, sent.Status!.Reason);
        Assert.Equal(1, sent.Payload.GetProperty("original_payload").GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task Handle_OverrideMapsCurrToThisActor_Accepted()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["logical"], headersJson: """{"x-asya-route-override":{"logical":"a"}}"""));

        Assert.Single(h.Runtime.Invocations);
        Assert.Equal(EnvelopePhase.Succeeded, h.Single("x-sink").Status!.Phase);
    }

    [Fact]
    public async Task Handle_OverrideOnNextHop_SendsToTargetAndRecordsResolution()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b"], headersJson: """{"x-asya-route-override":{"b":"b-canary"}}"""));

        var sent = h.Single("b-canary");
        Assert.Equal("b", sent.Route!.Curr);
        Assert.Equal("b-canary", sent.Headers![MeshHeaders.RouteResolved]!["b"]!["target"]!.GetValue<string>());
        Assert.Equal("a", sent.Headers[MeshHeaders.RouteResolved]!["b"]!["by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Handle_HandlerErrorWithoutPolicy_SinkFailedRuntimeErrorWithOriginalPayload()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => FakeRuntime.FailAsync("ValueError", "Exception");
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Failed, sent.Status!.Phase);
        Assert.Equal(EnvelopeReason.RuntimeError, sent.Status.Reason);
        Assert.Equal("ValueError", sent.Status.Error!.Type);
        Assert.Equal("processing_error", sent.Payload.GetProperty("error").GetString());
        Assert.Equal("ValueError", sent.Payload.GetProperty("details").GetProperty("type").GetString());
        Assert.Equal(1, sent.Payload.GetProperty("original_payload").GetProperty("x").GetInt32());
        Assert.Equal("a", sent.Route!.Curr);
    }

    [Fact]
    public async Task Handle_HandlerErrorWithRetryPolicy_SendsDelayedCopyToOwnQueue()
    {
        using var h = new ProcessorHarness(resiliency: Retry(3));
        h.Runtime.Handler = (_, _, _) => FakeRuntime.FailAsync("ValueError", "Exception");
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        var sent = h.Transport.SentTo(h.Options.OwnQueue);
        Assert.Single(sent);
        Assert.Equal(TimeSpan.FromSeconds(2), sent[0].Delay);
        var retry = Envelopes.Parse(sent[0].Body);
        Assert.Equal(EnvelopePhase.Retrying, retry.Status!.Phase);
        Assert.Equal(2, retry.Status.Attempt);
        Assert.Equal(3, retry.Status.MaxAttempts);
        Assert.Equal("ValueError", retry.Status.Error!.Type);
    }

    [Fact]
    public async Task Handle_RetriesExhausted_SinkPolicyExhaustedWithAttemptCounts()
    {
        using var h = new ProcessorHarness(resiliency: Retry(3));
        h.Runtime.Handler = (_, _, _) => FakeRuntime.FailAsync("ValueError", "Exception");
        var envelope = Envelopes.Create("e1", ["a"]);
        for (var i = 0; i < 3; i++)
        {
            await h.HandleAsync(envelope);
            var own = h.Transport.SentTo(h.Options.OwnQueue);
            if (i < 2)
            {
                envelope = Envelopes.Parse(own[^1].Body);
            }
        }

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopeReason.PolicyExhausted, sent.Status!.Reason);
        Assert.Equal(3, sent.Status.Attempt);
        Assert.Equal(3, sent.Status.MaxAttempts);
    }

    [Fact]
    public async Task Handle_ExhaustedWithOnExhausted_ShiftsRouteAndSendsToFirst()
    {
        using var h = new ProcessorHarness(resiliency: Retry(1, ["fallback", "notify"]));
        h.Runtime.Handler = (_, _, _) => FakeRuntime.FailAsync("ValueError", "Exception");
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        var sent = h.Single("fallback");
        Assert.Equal(EnvelopeReason.PolicyRouted, sent.Status!.Reason);
        Assert.Equal(["a"], sent.Route!.Prev);
        Assert.Equal("fallback", sent.Route.Curr);
        Assert.Equal(["notify"], sent.Route.Next);
        Assert.Equal(1, sent.Payload.GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task Handle_AttemptOnNewActor_ResetsToOne()
    {
        using var h = new ProcessorHarness();
        var envelope = Envelopes.Create("e1", ["a"]);
        envelope.Status = new EnvelopeStatus { Actor = "previous", Attempt = 4, Phase = EnvelopePhase.Retrying, CreatedAt = h.Time.GetUtcNow() };
        await h.HandleAsync(envelope);

        Assert.Equal(1, h.Runtime.Invocations[0].Status!.Attempt);
        Assert.Equal(EnvelopePhase.Processing, h.Runtime.Invocations[0].Status!.Phase);
    }

    [Fact]
    public async Task Handle_Timeout_KillsRuntimeAndFailsWithAsyaTimeout()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.TimedOut));
        var result = await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.True(result.Ack);
        Assert.Equal(1, h.Runtime.Kills);
        var sent = h.Single("x-sink");
        Assert.Equal("asya.Timeout", sent.Status!.Error!.Type);
        Assert.Equal(EnvelopeReason.Timeout, sent.Status.Reason);
    }

    [Fact]
    public async Task Handle_TimeoutMatchedByRule_Retries()
    {
        var settings = Retry(2) with { Rules = [new ResiliencyRule(["Timeout"], "default")] };
        using var h = new ProcessorHarness(resiliency: settings);
        h.Runtime.Handler = (_, _, _) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.TimedOut));
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.Single(h.Transport.SentTo(h.Options.OwnQueue));
    }

    [Fact]
    public async Task Handle_FanOut_FirstKeepsIdOthersGetNewIdsAndParent()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await onFrame(new Frame { Payload = Envelopes.Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Route = envelope.Route!.Advance() }, i, ct);
            }

            return new RuntimeCallResult(RuntimeCallStatus.Completed, 3);
        };
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        var sent = h.Transport.SentTo(h.Options.QueueOf("b")).Select(m => Envelopes.Parse(m.Body)).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal("e1", sent[0].Id);
        Assert.Null(sent[0].ParentId);
        Assert.All(sent.Skip(1), e => Assert.Equal("e1", e.ParentId));
        Assert.All(sent.Skip(1), e => Assert.True(Guid.TryParse(e.Id, out var g) && g.ToString("D")[14] == '4'));
        Assert.Equal(3, sent.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Handle_EmptyResponse_InputEnvelopeToSinkSucceeded()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.Completed));
        await h.HandleAsync(Envelopes.Create("e1", ["a", "b"]));

        var sent = h.Single("x-sink");
        Assert.Equal("a", sent.Route!.Curr);
        Assert.Equal(["b"], sent.Route.Next);
        Assert.Equal(EnvelopePhase.Succeeded, sent.Status!.Phase);
        Assert.Equal(EnvelopeReason.Completed, sent.Status.Reason);
    }

    [Fact]
    public async Task Handle_UnknownTopLevelKeys_PreservedOnOutput()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Encoding.UTF8.GetBytes("""{"id":"e1","route":{"prev":[],"curr":"a","next":[]},"payload":1,"custom":{"k":true}}"""));

        var sent = h.Single("x-sink");
        Assert.True(sent.Extra!["custom"].GetProperty("k").GetBoolean());
    }

    [Fact]
    public async Task Handle_FrameHeaders_ReplaceInputHeaders()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = async (envelope, onFrame, ct) =>
        {
            await onFrame(new Frame { Payload = envelope.Payload, Route = envelope.Route!.Advance(), Headers = new() { ["k"] = "v" } }, 0, ct);
            return new RuntimeCallResult(RuntimeCallStatus.Completed, 1);
        };
        await h.HandleAsync(Envelopes.Create("e1", ["a"], headersJson: """{"old":"x"}"""));

        var sent = h.Single("x-sink");
        Assert.Equal("v", sent.Headers!["k"]!.GetValue<string>());
        Assert.Null(sent.Headers["old"]);
    }

    [Fact]
    public async Task Handle_RuntimeNeverReady_Nacks()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Ready = false;
        var result = await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.False(result.Ack);
        Assert.Empty(h.Transport.Sent);
    }

    [Fact]
    public async Task Handle_SendToNextFails_Throws()
    {
        using var h = new ProcessorHarness();
        h.Transport.FailSendTo = q => q.EndsWith("-b", StringComparison.Ordinal);
        var thrown = await Assert.ThrowsAsync<Asya.Sidecar.Engine.EnvelopeSendException>(() => h.HandleAsync(Envelopes.Create("e1", ["a", "b"])));
        Assert.IsType<IOException>(thrown.InnerException);
    }

    [Fact]
    public async Task Handle_NullPayload_Carried()
    {
        using var h = new ProcessorHarness();
        await h.HandleAsync(Envelopes.Create("e1", ["a"], payloadJson: "null"));

        Assert.Equal(JsonValueKind.Null, h.Single("x-sink").Payload.ValueKind);
    }

    [Fact]
    public async Task Handle_DeadlineSoonerThanActorTimeout_RuntimeGetsShorterTimeout()
    {
        using var h = new ProcessorHarness();
        var envelope = Envelopes.Create("e1", ["a"]);
        envelope.Status = new EnvelopeStatus { Actor = "a", CreatedAt = h.Time.GetUtcNow(), DeadlineAt = h.Time.GetUtcNow().AddSeconds(10) };
        await h.HandleAsync(envelope);

        Assert.Equal(TimeSpan.FromSeconds(9), h.Runtime.LastTimeout);
        Assert.Equal(EnvelopePhase.Succeeded, h.Single("x-sink").Status!.Phase);
    }

    [Fact]
    public async Task Handle_NoDeadline_RuntimeGetsActorTimeout()
    {
        using var h = new ProcessorHarness(resiliency: new ResiliencySettings { ActorTimeout = TimeSpan.FromSeconds(42) });
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.Equal(TimeSpan.FromSeconds(42), h.Runtime.LastTimeout);
    }

    [Fact]
    public async Task Handle_WithTraceListener_OutboundCarriesSameTraceId()
    {
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == Observability.SidecarTracing.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var h = new ProcessorHarness();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await h.HandleAsync(Envelopes.Create("e1", ["a"], headersJson: $$"""{"traceparent":"00-{{traceId}}-00f067aa0ba902b7-01"}"""));

        var traceparent = h.Single("x-sink").Headers![MeshHeaders.TraceParent]!.GetValue<string>();
        Assert.StartsWith($"00-{traceId}-", traceparent, StringComparison.Ordinal);
        Assert.DoesNotContain("00f067aa0ba902b7", traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_RuntimeRejectsEnvelope_SinkFailed()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.Rejected)
        {
            ErrorCode = RuntimeErrorCodes.MessageParsingError,
            Error = new ErrorDetails { Message = "bad", Type = "ValueError" },
        });
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        var sent = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Failed, sent.Status!.Phase);
        Assert.Equal("msg_parsing_error", sent.Payload.GetProperty("error").GetString());
    }
}
