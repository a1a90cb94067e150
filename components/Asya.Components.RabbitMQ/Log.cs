using Microsoft.Extensions.Logging;

namespace Asya.Components.RabbitMQ;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ transport '{Component}' connected to {Endpoint} (publisher confirms {Confirms}, persistent {Persistent}, prefetch {Prefetch})")]
    public static partial void Connected(this ILogger logger, string component, string endpoint, bool confirms, bool persistent, int prefetch);


    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ transport '{Component}': prefetchCount 0 (unlimited) is bounded to {Prefetch} so one consumer cannot take a whole queue")]
    public static partial void PrefetchBounded(this ILogger logger, string component, int prefetch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of message {MessageId} on queue {Queue} skipped: its lease ran out or its channel closed, so the broker has it back")]
    public static partial void StaleDelivery(this ILogger logger, string operation, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} of message {MessageId} on queue {Queue} failed ({Reason}); the broker will deliver it again")]
    public static partial void AckFailed(this ILogger logger, string operation, string messageId, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ transport '{Component}': publish to {Queue} failed ({Reason}); retrying in {Delay}")]
    public static partial void PublishRetry(this ILogger logger, string component, string queue, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ transport '{Component}' lost its connection ({Reason}); reconnecting")]
    public static partial void ConnectionLost(this ILogger logger, string component, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ transport '{Component}' reconnected; consumers resumed")]
    public static partial void ConnectionRecovered(this ILogger logger, string component);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ transport '{Component}': queue {Queue} exists with other arguments ({Reason}); using it as it is")]
    public static partial void QueueArgumentsDiffer(this ILogger logger, string component, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Message {MessageId} on queue {Queue} came back unacked; requeued as delivery {Deliveries} counted")]
    public static partial void RedeliveryCounted(this ILogger logger, string messageId, string queue, long deliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give message {MessageId} back to queue {Queue}; the broker returns it when the channel closes")]
    public static partial void RecountFailed(this ILogger logger, string messageId, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lease of message {MessageId} on queue {Queue} ran out; giving it back")]
    public static partial void LeaseExpired(this ILogger logger, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ transport '{Component}' could not give back the prefetched messages of queue {Queue} ({Reason}); the broker takes them back, counted once more")]
    public static partial void ReturnFailed(this ILogger logger, string component, string queue, string reason);
}
