using Microsoft.Extensions.Logging;

namespace Asya.Components.Aws;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SQS component '{Component}' ready at {Target} (credentials: {Credentials})")]
    public static partial void Connected(this ILogger logger, string component, string target, string credentials);


    [LoggerMessage(Level = LogLevel.Information, Message = "SQS component '{Component}': '{Key}' turns dead-lettering on; each actor queue gets its own '<queue>-dlq'")]
    public static partial void DeadLetterNaming(this ILogger logger, string component, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS component '{Component}': the start-up check could not list queues ({Reason}); continuing, since the actor may only be allowed its own queues")]
    public static partial void ListQueuesDenied(this ILogger logger, string component, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS queue {Queue} exists with other attributes; left as it is")]
    public static partial void QueueAttributesDiffer(this ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS refuses to create queue {Queue} again yet: it was deleted less than 60 s ago (QueueDeletedRecently); trying again in {Delay}, until {Deadline}")]
    public static partial void QueueDeletedRecently(this ILogger logger, string queue, TimeSpan delay, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS queue {Queue} was missing (deleted, or the emulator restarted); created it again")]
    public static partial void QueueRecreated(this ILogger logger, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of message {MessageId} on queue {Queue} ignored: its receipt is no longer valid (lease expired and redelivered, or already deleted)")]
    public static partial void StaleDelivery(this ILogger logger, string operation, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} on queue {Queue} arrived before its due time; deferred again for {Delay}")]
    public static partial void Deferred(this ILogger logger, string messageId, string queue, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on queue {Queue} reached {Deliveries} deliveries on a delayed nack; moved to {DeadLetterQueue}")]
    public static partial void DeadLettered(this ILogger logger, string messageId, string queue, int deliveries, string deadLetterQueue);
}
