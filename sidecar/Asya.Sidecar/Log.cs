using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar;

internal static partial class Log
{
    [LoggerMessage(EventId = SidecarLogEvents.EnvelopeHandled, EventName = nameof(SidecarLogEvents.EnvelopeHandled), Level = LogLevel.Information,
        Message = "Envelope {EnvelopeId} handled by {Actor}: {Outcome} -> {Destination} in {DurationMs} ms")]
    public static partial void EnvelopeHandled(this ILogger logger, string envelopeId, string actor, string outcome, string destination, long durationMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Receiving from {Queue} with {Concurrency} worker(s)")]
    public static partial void Receiving(this ILogger logger, string queue, int concurrency);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Receive from {Queue} failed ({Failures} in a row); retrying in {Delay}")]
    public static partial void ReceiveFailed(this ILogger logger, string queue, int failures, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Delivery {MessageId} failed inside the sidecar; sent to the sump as SidecarError")]
    public static partial void SidecarFailed(this ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Runtime pid {Pid} died while handling {EnvelopeId} ({Exit}); failing this attempt")]
    public static partial void RuntimeCrashed(this ILogger logger, string envelopeId, int pid, string exit);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Runtime connection broke after {EnvelopeId} reached it ({Error}) and the runtime lives on; failing this attempt, not calling again")]
    public static partial void RuntimeConnectionLost(this ILogger logger, string envelopeId, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Delivery {MessageId} could not be handed on; it will be redelivered")]
    public static partial void DeliveryFailed(this ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Ack/nack of {MessageId} failed: {Error}")]
    public static partial void AckFailed(this ILogger logger, string messageId, string error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Drain timeout {DrainTimeout} passed; unfinished deliveries are left for redelivery")]
    public static partial void DrainTimedOut(this ILogger logger, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Extending the lease of {MessageId} failed: {Error}")]
    public static partial void LeaseExtendFailed(this ILogger logger, string messageId, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Runtime ready on {SocketPath} (pid {Pid})")]
    public static partial void RuntimeReady(this ILogger logger, string socketPath, int pid);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Runtime not ready after {Timeout}: no usable {ReadyFile} or /healthz failing")]
    public static partial void RuntimeNeverReady(this ILogger logger, string readyFile, TimeSpan timeout);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Runtime unreachable for {Timeout} while handling {EnvelopeId}; nacking")]
    public static partial void RuntimeUnreachable(this ILogger logger, string envelopeId, TimeSpan timeout);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Runtime call for {EnvelopeId} did not reach a live runtime ({Error}); waiting for the runtime and calling again")]
    public static partial void RuntimeCallBroken(this ILogger logger, string envelopeId, string error);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Handler timed out after {Timeout} on {EnvelopeId}; killing the runtime")]
    public static partial void HandlerTimedOut(this ILogger logger, string envelopeId, TimeSpan timeout);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Runtime process {Pid} killed")]
    public static partial void RuntimeKilled(this ILogger logger, int pid);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Could not kill runtime process {Pid}: {Error}")]
    public static partial void RuntimeKillFailed(this ILogger logger, int pid, string error);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Runtime PID unknown ({ReadyFile} has no second line); cannot kill a timed-out handler")]
    public static partial void RuntimePidUnknown(this ILogger logger, string readyFile);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Started runtime '{Command}' as pid {Pid}")]
    public static partial void RuntimeStarted(this ILogger logger, string command, int pid);

    [LoggerMessage(EventId = SidecarLogEvents.RuntimeExited, EventName = nameof(SidecarLogEvents.RuntimeExited), Level = LogLevel.Warning, Message = "Runtime pid {Pid} exited ({Exit}); restarting")]
    public static partial void RuntimeExited(this ILogger logger, int pid, string exit);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Could not start runtime '{Command}': {Error}")]
    public static partial void RuntimeStartFailed(this ILogger logger, string command, string error);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Runtime sent {Count} upstream (FLY) event(s); not forwarded")]
    public static partial void UpstreamEventsIgnored(this ILogger logger, int count);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Retry of {EnvelopeId} could not be sent ({Error}); failing it")]
    public static partial void RetrySendFailed(this ILogger logger, string envelopeId, string error);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Dead-lettered {EnvelopeId}: reason {Reason}, actor {FailedActor}, error type {ErrorType}")]
    public static partial void DeadLettered(this ILogger logger, string envelopeId, string reason, string failedActor, string errorType);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Metrics and health on {Address} (/metrics, /healthz, /readyz)")]
    public static partial void MetricsListening(this ILogger logger, string address);

    [LoggerMessage(EventId = SidecarLogEvents.MetricsAddressInUse, EventName = nameof(SidecarLogEvents.MetricsAddressInUse), Level = LogLevel.Error,
        Message = "Cannot serve metrics and health on {Address}: the port is taken")]
    public static partial void MetricsAddressInUse(this ILogger logger, string address);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Sidecar for actor {Actor} on {Queue} using transport {Transport}")]
    public static partial void Starting(this ILogger logger, string actor, string queue, string transport);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "{Dropped} gateway report(s) dropped for {Gateway} ({Reason}); the envelopes went on unaffected")]
    public static partial void GatewayReportsDropped(this ILogger logger, long dropped, string gateway, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Task {EnvelopeId} is {Status} at its gateway; sent to x-sink without calling the handler")]
    public static partial void PreFlightDiverted(this ILogger logger, string envelopeId, string status);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Task {EnvelopeId} paused at {Actor}; checkpoint stored under {Key}")]
    public static partial void TaskPaused(this ILogger logger, string envelopeId, string actor, string key);

    [LoggerMessage(EventId = 53, Level = LogLevel.Warning, Message = "Resume of task {TaskId} ignored: no checkpoint {Key} (never paused, or already resumed)")]
    public static partial void ResumeWithoutCheckpoint(this ILogger logger, string taskId, string key);

    [LoggerMessage(EventId = 54, Level = LogLevel.Information, Message = "Task {TaskId} resumed; routed to {Destination}")]
    public static partial void TaskResumed(this ILogger logger, string taskId, string destination);

    [LoggerMessage(EventId = 55, Level = LogLevel.Warning,
        Message = "--gateway-url (or ASYA_GATEWAY_URL) '{Url}' ignored: only an http:// or https:// URL with a host is called; envelopes without x-asya-gateway-url are not reported")]
    public static partial void DefaultGatewayUrlIgnored(this ILogger logger, string url);

    [LoggerMessage(EventId = 56, Level = LogLevel.Warning,
        Message = "{Ignored} x-asya-gateway-url header(s) ignored, the last '{Url}': only an http:// or https:// URL with a host is called; those envelopes report to the default gateway ({DefaultUrl})")]
    public static partial void HeaderGatewayUrlsIgnored(this ILogger logger, long ignored, string url, string defaultUrl);
}
