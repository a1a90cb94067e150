using Microsoft.Extensions.Logging;

namespace Asya.Components.Sqlite;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite transport '{Component}' opened {DataSource}")]
    public static partial void TransportOpened(this ILogger logger, string component, string dataSource);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite transport '{Component}' cannot watch its WAL file; other processes' sends are found by polling only")]
    public static partial void WalWatchUnavailable(this ILogger logger, string component, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite state store '{Component}' opened {DataSource}, table {Table}")]
    public static partial void StateStoreOpened(this ILogger logger, string component, string dataSource, string table);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Operation} of message {MessageId} on queue {Queue} ignored: its lease expired and it was claimed again or removed")]
    public static partial void StaleLease(this ILogger logger, string operation, string messageId, string queue);

    [LoggerMessage(Level = LogLevel.Debug, Message = "State store '{Component}' removed {Count} expired entries")]
    public static partial void ExpiredRemoved(this ILogger logger, string component, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wall clock went back by {Jump}; messages stamped in the future restart their delays and leases from now")]
    public static partial void ClockWentBack(this ILogger logger, TimeSpan jump);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State store '{Component}' could not remove expired entries")]
    public static partial void CleanupFailed(this ILogger logger, string component, Exception exception);
}
