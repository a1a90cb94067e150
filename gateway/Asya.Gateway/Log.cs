using Microsoft.Extensions.Logging;

namespace Asya.Gateway;

/// <summary>The gateway's log events; tools act on the event ids and fields, never on the wording.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Gateway listening: api on {ApiAddress}, mesh on {MeshAddress}; envelopes carry x-asya-gateway-url {MeshUrl}")]
    public static partial void Listening(this ILogger logger, string apiAddress, string meshAddress, string meshUrl);

    [LoggerMessage(2, LogLevel.Information, "Loaded {Count} flow(s) from {Path}")]
    public static partial void FlowsLoaded(this ILogger logger, int count, string path);

    [LoggerMessage(3, LogLevel.Error, "Flows not reloaded, keeping the {Count} loaded before: {Problem}")]
    public static partial void FlowsReloadFailed(this ILogger logger, string problem, int count);

    [LoggerMessage(4, LogLevel.Information, "Task {TaskId} submitted to {Queue} (flow {Flow})")]
    public static partial void TaskSubmitted(this ILogger logger, string taskId, string queue, string? flow);

    [LoggerMessage(5, LogLevel.Error, "Task {TaskId} could not be sent to {Queue}; marked failed")]
    public static partial void TaskSendFailed(this ILogger logger, Exception exception, string taskId, string queue);

    [LoggerMessage(6, LogLevel.Information, "Task {TaskId} is {Status}{Detail}")]
    public static partial void TaskChanged(this ILogger logger, string taskId, string status, string detail);

    [LoggerMessage(7, LogLevel.Warning, "Task {TaskId} timed out (deadline passed without a final report)")]
    public static partial void TaskTimedOut(this ILogger logger, string taskId);

    [LoggerMessage(8, LogLevel.Warning, "Deadline backstop sweep failed; trying again in {Interval}")]
    public static partial void BackstopFailed(this ILogger logger, Exception exception, TimeSpan interval);

    [LoggerMessage(9, LogLevel.Warning, "Event stream of task {TaskId} fell behind: {Dropped} FLY event(s) dropped")]
    public static partial void FlyDropped(this ILogger logger, string taskId, long dropped);

    [LoggerMessage(10, LogLevel.Warning, "Rejected an api request without a valid API key from {Remote}")]
    public static partial void Unauthorized(this ILogger logger, string remote);

    [LoggerMessage(11, LogLevel.Information, "Task {TaskId} resumed through {Queue}")]
    public static partial void TaskResumed(this ILogger logger, string taskId, string queue);

    [LoggerMessage(12, LogLevel.Warning, "Task counts could not be read from the task store")]
    public static partial void CountsFailed(this ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The task store is unavailable ({Reason}); status reports are held in memory and retried every {Interval}")]
    public static partial void StoreUnavailable(this ILogger logger, string reason, TimeSpan interval);

    [LoggerMessage(14, LogLevel.Information, "The task store is reachable again: {Count} held status report(s) applied")]
    public static partial void StoreBack(this ILogger logger, int count);

    [LoggerMessage(15, LogLevel.Error, "The task store is unavailable and {Capacity} status reports are already held: report of task {TaskId} dropped")]
    public static partial void HeldReportDropped(this ILogger logger, int capacity, string taskId);

    [LoggerMessage(16, LogLevel.Error, "Stopping with {Count} status report(s) held for an unavailable task store: they are lost")]
    public static partial void HeldReportsLost(this ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Error, "A held status report of task {TaskId} could not be applied; dropped")]
    public static partial void HeldReportFailed(this ILogger logger, Exception exception, string taskId);
}
