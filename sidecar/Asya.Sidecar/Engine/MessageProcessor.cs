using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Components.Abstractions;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Gateway;
using Asya.Sidecar.Observability;
using Asya.Sidecar.Runtime;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Engine;

/// <summary>The per-delivery algorithm of docs/design.md §4 for an actor with a runtime: exactly one outcome, then ack.</summary>
internal sealed class MessageProcessor(
    SidecarOptions options,
    Router router,
    ResiliencyDecider decider,
    EnvelopeSender sender,
    IRuntimeClient runtime,
    IRuntimeController controller,
    SidecarMetrics metrics,
    TimeProvider timeProvider,
    ILogger<MessageProcessor> logger,
    GatewayReporter? reporter = null,
    GatewayPreFlight? preFlight = null) : IDeliveryHandler
{
    private static readonly TimeSpan DeadlineGuard = TimeSpan.FromSeconds(1);

    /// <summary>How long a broken call waits to learn whether the runtime process died (it exits within moments of a crash).</summary>
    private static readonly TimeSpan CrashGrace = TimeSpan.FromSeconds(5);

    /// <summary>Waits before calling again a runtime that was not reached: 100 ms, 200 ms, … at most 2 s.</summary>
    private static readonly Backoff UnreachableBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    /// <summary>
    /// Any exception of the sidecar's own (a defect) ends the delivery at x-sump as SidecarError instead of a nack that
    /// would redeliver it forever; only a failed hand-off to a queue (<see cref="EnvelopeSendException"/>) is rethrown
    /// for the receive loop to nack.
    /// </summary>
    public async Task<DeliveryResult> HandleAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return await ProcessAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not EnvelopeSendException)
        {
            logger.SidecarFailed(message.Id, ex);
            metrics.Count(DeliveryOutcome.SidecarError);
            var sump = FailureEnvelopes.SidecarError(message.Body.Span, ex, options.Actor, options.Sump, timeProvider.GetUtcNow());
            await sender.SendAsync(new RoutedEnvelope(sump, options.Sump, MessageTypes.Sump), TimeSpan.Zero, cancellationToken);
            return new DeliveryResult(true, DeliveryOutcome.SidecarError, options.Sump, sump.Id);
        }
    }

    private async Task<DeliveryResult> ProcessAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!EnvelopeParser.TryParse(message.Body.Span, out var envelope, out var parseError))
        {
            return await sender.DeadLetterUnparsableAsync(message.Body, parseError!, cancellationToken);
        }

        using var activity = SidecarTracing.StartProcess(envelope!, options.Actor, options.OwnQueue);
        if (message.DeliveryCount > options.MaxDeliveries)
        {
            var error = $"delivered {message.DeliveryCount} times, more than the limit of {options.MaxDeliveries}";
            return await sender.DeadLetterAsync(envelope!, error, EnvelopeReason.MaxDeliveries, DeliveryOutcome.MaxDeliveries, cancellationToken);
        }

        // Only envelopes of a gateway task (header x-asya-gateway-url, not stealth) are reported or checked.
        var gateway = reporter is null ? null : GatewayTarget.Of(envelope!);
        if (gateway is not null && preFlight is not null
            && await preFlight.StatusAsync(gateway, cancellationToken) is { } taskStatus
            && taskStatus is EnvelopePhase.Canceled or EnvelopePhase.Paused)
        {
            return await DivertAsync(envelope!, taskStatus, cancellationToken);
        }

        if (envelope!.Status?.DeadlineAt is { } deadline && now + DeadlineGuard >= deadline)
        {
            return await DeadlineExpiredAsync(envelope, now, cancellationToken);
        }

        ReportHop(gateway, envelope.Route!, GatewayReports.Received, GatewayReports.ReceivedMessage(message.Body.Length));

        if (!router.Accepts(envelope))
        {
            var error = $"Route mismatch: message routed to wrong actor (expected: {options.Actor}, actual: {envelope.Route!.Curr})";
            return await sender.DeadLetterAsync(envelope, error, EnvelopeReason.RouteMismatch, DeliveryOutcome.RouteMismatch, cancellationToken);
        }

        if (router.SystemActorIn(envelope.Route) is { } system)
        {
            var error = Router.SystemActorError(system, "route.next");
            return await sender.DeadLetterAsync(envelope, error, EnvelopeReason.RouteMismatch, DeliveryOutcome.RouteMismatch, cancellationToken);
        }

        ReportHop(gateway, envelope.Route!, GatewayReports.Processing, GatewayReports.ProcessingMessage(options.Actor));
        Stamp(envelope, now);
        var timeout = ActorTimeout;
        if (envelope.Status!.DeadlineAt is { } until && until - now < timeout)
        {
            timeout = until - now - DeadlineGuard;
        }

        return await InvokeAsync(envelope, timeout, gateway, cancellationToken);
    }

    private void ReportHop(GatewayTarget? gateway, Route route, string phase, string message)
    {
        if (gateway is not null)
        {
            reporter!.Report(gateway, GatewayReports.Hop(options.Actor, route, phase, message));
        }
    }

    /// <summary>Pre-flight found the task canceled or paused: the envelope ends at x-sink with that phase, unprocessed.</summary>
    private async Task<DeliveryResult> DivertAsync(Envelope envelope, string taskStatus, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var canceled = taskStatus == EnvelopePhase.Canceled;
        var diverted = envelope.Clone();
        var status = diverted.Status ?? new EnvelopeStatus { CreatedAt = now };
        status.Phase = canceled ? EnvelopePhase.Canceled : EnvelopePhase.Paused;
        status.Reason = canceled ? EnvelopeReason.PreFlightCanceled : EnvelopeReason.PreFlightPaused;
        status.Actor = options.Actor;
        status.UpdatedAt = now;
        if (status.CreatedAt == default)
        {
            status.CreatedAt = now;
        }

        diverted.Status = status;
        await sender.SendAsync(new RoutedEnvelope(diverted, options.Sink, MessageTypes.Sink), TimeSpan.Zero, cancellationToken);
        var outcome = canceled ? DeliveryOutcome.PreFlightCanceled : DeliveryOutcome.PreFlightPaused;
        metrics.Count(outcome);
        logger.PreFlightDiverted(envelope.Id!, taskStatus);
        return new DeliveryResult(true, outcome, options.Sink, envelope.Id);
    }

    private TimeSpan ActorTimeout => decider.Settings.ActorTimeout;

    private async Task<DeliveryResult> InvokeAsync(Envelope envelope, TimeSpan timeout, GatewayTarget? gateway, CancellationToken cancellationToken)
    {
        var body = envelope.ToUtf8Bytes();
        var destinations = new List<string>();
        var hopRoute = envelope.Route!.Clone();
        var invoked = timeProvider.GetTimestamp();
        var flies = 0;
        UpstreamCallback? onUpstream = gateway is null ? null : data =>
        {
            Interlocked.Increment(ref flies);
            ForwardFly(gateway, data);
        };
        FrameCallback onFrame = gateway is null
            ? (frame, index, token) => RouteFrameAsync(envelope, frame, index, destinations, token)
            : async (frame, index, token) =>
            {
                if (index == 0)
                {
                    ReportHop(gateway, hopRoute, GatewayReports.Completed, GatewayReports.CompletedMessage(timeProvider.GetElapsedTime(invoked)));
                }

                // FLY events go out before the frame that follows them, so no later sidecar reports the task finished first.
                if (Interlocked.Exchange(ref flies, 0) > 0)
                {
                    await reporter!.FlushAsync(gateway, options.GatewayTimeout, token);
                }

                await RouteFrameAsync(envelope, frame, index, destinations, token);
            };
        var readyDeadline = timeProvider.GetUtcNow() + options.RuntimeReadyTimeout;
        var backoff = UnreachableBackoff.First;
        RuntimeCallResult result;
        RuntimeExit? crash = null;
        while (true)
        {
            var remaining = readyDeadline - timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero || !await controller.WaitReadyAsync(remaining, cancellationToken))
            {
                logger.RuntimeUnreachable(envelope.Id!, options.RuntimeReadyTimeout);
                return DeliveryResult.Nack(envelope.Id, "runtime-unreachable");
            }

            var generation = controller.Generation;
            var started = timeProvider.GetTimestamp();
            using (var call = SidecarTracing.Source.StartActivity("actor.runtime.call", ActivityKind.Client))
            {
                result = await runtime.InvokeAsync(body, onFrame, timeout, cancellationToken, onUpstream);
                call?.SetTag("asya.runtime.status", result.Status.ToString());
            }

            metrics.RuntimeDuration(timeProvider.GetElapsedTime(started));
            if (result.Status == RuntimeCallStatus.Broken)
            {
                // The whole envelope reached a runtime, so its handler may have started. Died under it (not killed by us
                // for another envelope's timeout): this attempt failed. Still running: the handler may be running
                // there now, so it is never sent to that process again; the attempt fails and the policy decides.
                var exit = await controller.ExitOfAsync(generation, CrashGrace, cancellationToken);
                if (exit is not { KilledBySidecar: true })
                {
                    crash = exit;
                    controller.MarkUnready();
                    break;
                }
            }
            else if (result.Status != RuntimeCallStatus.Unreachable)
            {
                break;
            }

            // Never reached a runtime, or reached one we killed: wait for the next and call again (frames already sent stay sent).
            logger.RuntimeCallBroken(envelope.Id!, result.Exception?.Message ?? "connection failed");
            controller.MarkUnready();
            await Task.Delay(backoff, timeProvider, cancellationToken);
            backoff = UnreachableBackoff.Next(backoff);
        }

        if (result.UpstreamEvents > 0 && gateway is null)
        {
            logger.UpstreamEventsIgnored(result.UpstreamEvents);
        }

        if (result.Status == RuntimeCallStatus.Broken)
        {
            metrics.RuntimeError();
            if (crash is null)
            {
                logger.RuntimeConnectionLost(envelope.Id!, result.Exception?.Message ?? "connection broke");
                return await FailAsync(envelope, RuntimeErrorCodes.ProcessingError, ConnectionLostDetails(result), timedOut: false, cancellationToken);
            }

            logger.RuntimeCrashed(envelope.Id!, crash.Pid, crash.Describe());
            return await FailAsync(envelope, RuntimeErrorCodes.ProcessingError, CrashDetails(crash), timedOut: false, cancellationToken);
        }

        switch (result.Status)
        {
            case RuntimeCallStatus.Completed when result.FrameCount == 0:
                var empty = router.RouteEmpty(envelope, timeProvider.GetUtcNow());
                await sender.SendAsync(empty, TimeSpan.Zero, cancellationToken);
                metrics.Count(DeliveryOutcome.Empty);
                return new DeliveryResult(true, DeliveryOutcome.Empty, options.Sink, envelope.Id);
            case RuntimeCallStatus.Completed:
                var routed = result.FrameCount > 1 ? DeliveryOutcome.FanOut(result.FrameCount) : DeliveryOutcome.Succeeded;
                metrics.Count(routed);
                return new DeliveryResult(true, routed, string.Join(',', destinations.Distinct(StringComparer.Ordinal)), envelope.Id);
            case RuntimeCallStatus.TimedOut:
                logger.HandlerTimedOut(envelope.Id!, timeout);
                using (result.HeldGate)
                {
                    // The slot stays held until the new runtime is up, so no queued envelope reaches the one being killed.
                    await controller.KillAsync(cancellationToken);
                    await controller.WaitReadyAsync(options.RuntimeReadyTimeout, cancellationToken);
                }

                var details = new ErrorDetails
                {
                    Message = $"Runtime timeout exceeded after {timeout}",
                    Type = "asya.Timeout",
                    Mro = ["TimeoutError", "Exception"],
                };
                return await FailAsync(envelope, "timeout_error", details, timedOut: true, cancellationToken);
            default:
                metrics.RuntimeError();
                return await FailAsync(envelope, result.ErrorCode ?? RuntimeErrorCodes.ProcessingError,
                    result.Error ?? new ErrorDetails { Message = "handler failed", Type = "asya.RuntimeError" },
                    timedOut: false, cancellationToken);
        }
    }

    private void ForwardFly(GatewayTarget gateway, string data)
    {
        JsonNode? fly;
        try
        {
            fly = GatewayReports.FlyData(data);
        }
        catch (JsonException)
        {
            // The runtime checks what a handler yields; an unreadable event is not worth failing the envelope for.
            metrics.GatewayReportDropped("invalid_fly");
            return;
        }

        reporter!.Report(gateway, GatewayReports.Fly(options.Actor, fly));
    }

    private static ErrorDetails CrashDetails(RuntimeExit exit)
    {
        var message = $"The runtime process (pid {exit.Pid}) died while handling this envelope: {exit.Describe()}";
        if (exit.StderrTail.Count > 0)
        {
            message += "; last stderr lines:\n" + string.Join('\n', exit.StderrTail);
        }

        return new ErrorDetails { Message = message, Type = "asya.RuntimeCrashed", Mro = ["Exception"] };
    }

    private static ErrorDetails ConnectionLostDetails(RuntimeCallResult result) => new()
    {
        Message = "The connection to the runtime broke after this envelope reached it, and the runtime process kept running; "
            + "the envelope is not sent to it again because its handler may have started: " + (result.Exception?.Message ?? "connection broke"),
        Type = "asya.RuntimeConnectionLost",
        Mro = ["Exception"],
    };

    private async ValueTask RouteFrameAsync(Envelope input, Frame frame, int index, List<string> destinations, CancellationToken cancellationToken)
    {
        var routed = router.RouteFrame(input, frame, index, timeProvider.GetUtcNow());
        var destination = await sender.SendAsync(routed, TimeSpan.Zero, cancellationToken);
        lock (destinations)
        {
            destinations.Add(destination);
        }
    }

    private async Task<DeliveryResult> FailAsync(Envelope envelope, string code, ErrorDetails details, bool timedOut, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        DateTimeOffset? firstAttempt = envelope.Headers?[MeshHeaders.FirstAttempt]?.GetValue<string>() is { } text
            && Rfc3339Converter.TryParse(text, out var parsed) ? parsed : null;
        var decision = decider.Decide(envelope.Status!, details, firstAttempt, now);
        switch (decision.Action)
        {
            case ResiliencyAction.Retry:
                var retry = FailureEnvelopes.Retry(envelope, details, decision.MaxAttempts, now);
                try
                {
                    await sender.SendAsync(new RoutedEnvelope(retry, options.Actor, MessageTypes.Retry), decision.Delay, cancellationToken);
                    var retried = DeliveryOutcome.Retried(retry.Status!.Attempt, decision.MaxAttempts, decision.Delay);
                    metrics.Count(retried);
                    return new DeliveryResult(true, retried, options.Actor, envelope.Id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.RetrySendFailed(envelope.Id!, ex.Message);
                    metrics.Count(DeliveryOutcome.RetrySendFailed);
                    var failed = FailureEnvelopes.HandlerFailure(envelope, code, details, EnvelopeReason.RuntimeError, decision.MaxAttempts, now);
                    failed.Status!.Attempt++;
                    await sender.SendAsync(new RoutedEnvelope(failed, options.Sink, MessageTypes.Sink), TimeSpan.Zero, cancellationToken);
                    return new DeliveryResult(true, DeliveryOutcome.RetrySendFailed, options.Sink, envelope.Id);
                }

            case ResiliencyAction.RouteOnExhausted:
                var routedEnvelope = FailureEnvelopes.OnExhausted(envelope, decision.Policy!.OnExhausted, details, decision.MaxAttempts, now);
                var target = router.Resolve(routedEnvelope, routedEnvelope.Route!.Curr);
                await sender.SendAsync(new RoutedEnvelope(routedEnvelope, target, MessageTypes.OnExhausted), TimeSpan.Zero, cancellationToken);
                metrics.Count(DeliveryOutcome.PolicyRouted);
                return new DeliveryResult(true, DeliveryOutcome.PolicyRouted, target, envelope.Id);
            default:
                var reason = decision.Action == ResiliencyAction.Exhausted ? EnvelopeReason.PolicyExhausted
                    : timedOut ? EnvelopeReason.Timeout : EnvelopeReason.RuntimeError;
                var failure = FailureEnvelopes.HandlerFailure(envelope, code, details, reason, decision.MaxAttempts, now);
                await sender.SendAsync(new RoutedEnvelope(failure, options.Sink, MessageTypes.Sink), TimeSpan.Zero, cancellationToken);
                var outcome = decision.Action == ResiliencyAction.Exhausted ? DeliveryOutcome.PolicyExhausted
                    : timedOut ? DeliveryOutcome.Timeout : DeliveryOutcome.RuntimeError;
                metrics.Count(outcome);
                return new DeliveryResult(true, outcome, options.Sink, envelope.Id);
        }
    }

    private async Task<DeliveryResult> DeadlineExpiredAsync(Envelope envelope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = FailureEnvelopes.DeadlineExpired(envelope, options.Actor, now);
        await sender.SendAsync(new RoutedEnvelope(expired, options.Sink, MessageTypes.Sink), TimeSpan.Zero, cancellationToken);
        metrics.Count(DeliveryOutcome.DeadlineExpired);
        return new DeliveryResult(true, DeliveryOutcome.DeadlineExpired, options.Sink, envelope.Id);
    }

    /// <summary>Status → processing (attempt resets when the actor changes); first-attempt header; no route change.</summary>
    private void Stamp(Envelope envelope, DateTimeOffset now)
    {
        var headers = envelope.EnsureHeaders();
        var status = envelope.Status;
        var actorChanged = status is null || status.Actor != options.Actor;
        var freshHop = status is null || status.Phase == EnvelopePhase.Pending;
        if (status is null)
        {
            envelope.Status = status = new EnvelopeStatus { Attempt = 1, CreatedAt = now };
        }
        else if (actorChanged)
        {
            status.Attempt = 1;
        }

        if (status.CreatedAt == default)
        {
            status.CreatedAt = now;
        }

        status.Phase = EnvelopePhase.Processing;
        status.Reason = null;
        status.Actor = options.Actor;
        status.MaxAttempts = 0;
        status.UpdatedAt = now;
        status.Error = null;

        // maxDuration counts from the first attempt on THIS actor, so the header restarts when the actor changes.
        if (actorChanged || freshHop || headers[MeshHeaders.FirstAttempt] is null)
        {
            headers[MeshHeaders.FirstAttempt] = Rfc3339Converter.Format(now);
        }

        SidecarTracing.Inject(envelope);
    }
}
