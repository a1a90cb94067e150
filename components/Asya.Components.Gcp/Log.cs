using Microsoft.Extensions.Logging;

namespace Asya.Components.Gcp;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pub/Sub component '{Component}' uses project {Project} at {Endpoint}")]
    public static partial void Connected(this ILogger logger, string component, string project, Uri endpoint);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub/Sub transport '{Component}': streaming pull of {Queue} failed; reopening in {Delay}")]
    public static partial void StreamFailed(this ILogger logger, string component, string queue, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pub/Sub transport '{Component}' created topic and subscription {Queue}")]
    public static partial void Created(this ILogger logger, string component, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pub/Sub transport '{Component}' could not create topic and subscription {Queue}")]
    public static partial void CreateFailed(this ILogger logger, string component, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of message {MessageId} on {Queue} ignored: its ack id expired (it may be redelivered)")]
    public static partial void StaleDelivery(this ILogger logger, string operation, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pub/Sub transport '{Component}': modifyAckDeadline of {Count} messages on {Queue} failed")]
    public static partial void DeadlineFailed(this ILogger logger, string component, int count, string queue, Exception exception);
}
