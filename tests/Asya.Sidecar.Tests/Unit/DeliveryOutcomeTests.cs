using Asya.Sidecar.Engine;

namespace Asya.Sidecar.Tests.Unit;

public sealed class DeliveryOutcomeTests
{
    [Fact]
    public void Outcomes_LogWordAndMetricLabels_AsUsersSeeThemToday()
    {
        (DeliveryOutcome Outcome, string Name, string? Status, string? Reason)[] expected =
        [
            // The log words are what the sidecar README lists and asya up traces; the labels are the metrics' as shipped.
            (DeliveryOutcome.Succeeded, "succeeded", "success", null),
            (DeliveryOutcome.FanOut(3), "fan-out x3", "success", null),
            (DeliveryOutcome.Empty, "empty", "empty_response", null),
            (DeliveryOutcome.Retried(2, 5, TimeSpan.FromMilliseconds(1500.4)), "retry 2/5 in 1500 ms", "retried", null),
            (DeliveryOutcome.RetrySendFailed, "failed", null, "retry_send_failed"),
            (DeliveryOutcome.PolicyRouted, "policy-routed", "policy_routed", null),
            (DeliveryOutcome.PolicyExhausted, "failed", "error", "policy_exhausted"),
            (DeliveryOutcome.RuntimeError, "failed", "error", "runtime_error"),
            (DeliveryOutcome.Timeout, "timeout", "error", "timeout"),
            (DeliveryOutcome.DeadlineExpired, "deadline-expired", "sla_expired", "sla_timeout"),
            (DeliveryOutcome.ParseError, "parse-error", null, "parse_error"),
            (DeliveryOutcome.RouteMismatch, "route-mismatch", null, "route_mismatch"),
            (DeliveryOutcome.MaxDeliveries, "max-deliveries", null, "max_deliveries"),
            (DeliveryOutcome.SidecarError, "sidecar-error", null, "sidecar_error"),
            (DeliveryOutcome.Stored, "stored", "end_consumed", null),
            (DeliveryOutcome.StoredFailed, "stored, failed", "end_consumed", null),
            (DeliveryOutcome.DeadLettered("RouteMismatch"), "dead-lettered", "end_consumed", "RouteMismatch"),
            (DeliveryOutcome.DeadLettered(null), "dead-lettered", "end_consumed", "unknown"),
            (DeliveryOutcome.PreFlightCanceled, "preflight-canceled", "preflight_canceled", null),
            (DeliveryOutcome.PreFlightPaused, "preflight-paused", "preflight_paused", null),
            (DeliveryOutcome.Paused, "paused", "paused", null),
            (DeliveryOutcome.Resumed, "resumed", "resumed", null),
            (DeliveryOutcome.ResumeIgnored, "resume-ignored", "resume_ignored", null),
            (DeliveryOutcome.Nack, "nack", null, "routing_error"),
        ];

        Assert.All(expected, e => Assert.Equal((e.Name, e.Status, e.Reason), (e.Outcome.Name, e.Outcome.ProcessedStatus, e.Outcome.FailedReason)));
    }

    [Fact]
    public void DeliveryResult_Outcome_IsTheLogWord() =>
        Assert.Equal("parse-error", new DeliveryResult(true, DeliveryOutcome.ParseError, "x-sump", "id").Outcome);
}
