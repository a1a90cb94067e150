using System.Globalization;

namespace Asya.Sidecar.Engine;

/// <summary>
/// How one delivery ended, stated once with both names it is seen by. <see cref="Name"/> is the word of the
/// <c>EnvelopeHandled</c> log event and of <c>asya up</c>'s per-hop trace (kebab case, as the sidecar README lists
/// them); <see cref="ProcessedStatus"/> and <see cref="FailedReason"/> are the labels it adds to
/// <c>asya_actor_messages_processed_total{status}</c> and <c>asya_actor_messages_failed_total{reason}</c> (snake case,
/// the Prometheus label convention, kept as dashboards know them). The two vocabularies differ on purpose and both are
/// visible today, so each stays where it is seen: <c>parse-error</c> in logs, <c>parse_error</c> in metrics.
/// </summary>
/// <param name="Name">The log and trace word.</param>
/// <param name="ProcessedStatus">The <c>status</c> label of the processed counter, or null when it is not counted there.</param>
/// <param name="FailedReason">The <c>reason</c> label of the failed counter, or null when it is not counted there.</param>
internal sealed record DeliveryOutcome(string Name, string? ProcessedStatus = null, string? FailedReason = null)
{
    /// <summary>The handler returned one envelope, routed on.</summary>
    public static DeliveryOutcome Succeeded { get; } = new("succeeded", ProcessedStatus: "success");

    /// <summary>The handler returned nothing: the envelope ends at x-sink.</summary>
    public static DeliveryOutcome Empty { get; } = new("empty", ProcessedStatus: "empty_response");

    /// <summary>The retry could not be sent; the envelope ends at x-sink as failed.</summary>
    public static DeliveryOutcome RetrySendFailed { get; } = new("failed", FailedReason: "retry_send_failed");

    /// <summary>The policy's <c>onExhausted</c> route took the envelope.</summary>
    public static DeliveryOutcome PolicyRouted { get; } = new("policy-routed", ProcessedStatus: "policy_routed");

    /// <summary>The retries are spent (or there are none): x-sink, failed.</summary>
    public static DeliveryOutcome PolicyExhausted { get; } = new("failed", ProcessedStatus: "error", FailedReason: "policy_exhausted");

    /// <summary>The handler failed and the policy does not retry: x-sink, failed.</summary>
    public static DeliveryOutcome RuntimeError { get; } = new("failed", ProcessedStatus: "error", FailedReason: "runtime_error");

    /// <summary>The handler ran past the actor timeout and the policy does not retry: x-sink, failed.</summary>
    public static DeliveryOutcome Timeout { get; } = new("timeout", ProcessedStatus: "error", FailedReason: "timeout");

    /// <summary>The envelope's deadline passed before the handler was called.</summary>
    public static DeliveryOutcome DeadlineExpired { get; } = new("deadline-expired", ProcessedStatus: "sla_expired", FailedReason: "sla_timeout");

    /// <summary>x-sump <c>ParseError</c>: the body is not an envelope.</summary>
    public static DeliveryOutcome ParseError { get; } = new("parse-error", FailedReason: "parse_error");

    /// <summary>x-sump <c>RouteMismatch</c>.</summary>
    public static DeliveryOutcome RouteMismatch { get; } = new("route-mismatch", FailedReason: "route_mismatch");

    /// <summary>x-sump <c>MaxDeliveries</c>.</summary>
    public static DeliveryOutcome MaxDeliveries { get; } = new("max-deliveries", FailedReason: "max_deliveries");

    /// <summary>x-sump <c>SidecarError</c>: a defect of the sidecar.</summary>
    public static DeliveryOutcome SidecarError { get; } = new("sidecar-error", FailedReason: "sidecar_error");

    /// <summary>x-sink stored an envelope that succeeded.</summary>
    public static DeliveryOutcome Stored { get; } = new("stored", ProcessedStatus: "end_consumed");

    /// <summary>x-sink stored a failed envelope and handed it to x-sump.</summary>
    public static DeliveryOutcome StoredFailed { get; } = new("stored, failed", ProcessedStatus: "end_consumed");

    /// <summary>The task's gateway said it was canceled: x-sink, phase <c>canceled</c>, handler not called.</summary>
    public static DeliveryOutcome PreFlightCanceled { get; } = new("preflight-canceled", ProcessedStatus: "preflight_canceled");

    /// <summary>The task's gateway said it is paused: x-sink, phase <c>paused</c>, handler not called.</summary>
    public static DeliveryOutcome PreFlightPaused { get; } = new("preflight-paused", ProcessedStatus: "preflight_paused");

    /// <summary>x-pause stored the task's checkpoint; nothing routed.</summary>
    public static DeliveryOutcome Paused { get; } = new("paused", ProcessedStatus: "paused");

    /// <summary>x-resume merged the input into the checkpoint and routed the task on.</summary>
    public static DeliveryOutcome Resumed { get; } = new("resumed", ProcessedStatus: "resumed");

    /// <summary>x-resume found no checkpoint (never paused, or resumed already): nothing routed.</summary>
    public static DeliveryOutcome ResumeIgnored { get; } = new("resume-ignored", ProcessedStatus: "resume_ignored");

    /// <summary>
    /// The broker took the message back before it was handled (its connection dropped while it waited for a worker):
    /// not handled, not settled; the redelivery is handled instead, so the handler runs once.
    /// </summary>
    public static DeliveryOutcome LeaseLost { get; } = new("lease-lost", ProcessedStatus: "lease_lost");

    /// <summary>Nothing could be handed on; the message is nacked for the broker to redeliver.</summary>
    public static DeliveryOutcome Nack { get; } = new("nack", FailedReason: "routing_error");

    /// <summary>The handler returned <paramref name="frames"/> envelopes (more than one).</summary>
    public static DeliveryOutcome FanOut(int frames) =>
        new(string.Create(CultureInfo.InvariantCulture, $"fan-out x{frames}"), ProcessedStatus: "success");

    /// <summary>A retry of attempt <paramref name="attempt"/> of <paramref name="maxAttempts"/> was sent with <paramref name="delay"/>.</summary>
    public static DeliveryOutcome Retried(int attempt, int maxAttempts, TimeSpan delay) =>
        new(string.Create(CultureInfo.InvariantCulture, $"retry {attempt}/{maxAttempts} in {delay.TotalMilliseconds:0} ms"), ProcessedStatus: "retried");

    /// <summary>x-sump stored a dead-lettered envelope; its <c>status.reason</c> (else <c>unknown</c>) is the failed reason.</summary>
    public static DeliveryOutcome DeadLettered(string? reason) =>
        new("dead-lettered", ProcessedStatus: "end_consumed", FailedReason: reason ?? "unknown");
}
