using Microsoft.Extensions.Logging;

namespace Asya.Components.Redis;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Redis component '{Component}' connected to {Host} (db {Database}, tls {Tls})")]
    public static partial void Connected(this ILogger logger, string component, string host, int database, bool tls);


    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of message {MessageId} on stream {Queue} ignored: its lease expired and another consumer claimed it, or it is gone")]
    public static partial void StaleDelivery(this ILogger logger, string operation, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis transport '{Component}' could not remove its consumer from the group of stream {Queue}")]
    public static partial void ReleaseFailed(this ILogger logger, string component, string queue, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis transport '{Component}' poll of stream {Queue} failed; retrying")]
    public static partial void PollFailed(this ILogger logger, string component, string queue, Exception exception);
}
