using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Tasks.PostgreSql;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Task store opened: PostgreSQL {Server}, schema version {Version}")]
    public static partial void TaskStoreOpened(this ILogger logger, string server, int version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Task store schema migrated from version {From} to {To}: PostgreSQL {Server}")]
    public static partial void TaskStoreMigrated(this ILogger logger, string server, int from, int to);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Task event hub listening on PostgreSQL {Server}, channel {Channel}")]
    public static partial void HubListening(this ILogger logger, string server, string channel);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Task event hub lost its PostgreSQL connection to {Server}; live events from other replicas are missed until it is back (reconnecting every {Retry})")]
    public static partial void HubConnectionLost(this ILogger logger, string server, TimeSpan retry, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Task event hub reconnected to PostgreSQL {Server} after {Outage} and listens again")]
    public static partial void HubReconnected(this ILogger logger, string server, TimeSpan outage);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Task event hub dropped an event it could not read ({Length} characters): {Reason}")]
    public static partial void HubEventUnreadable(this ILogger logger, int length, string reason);
}
