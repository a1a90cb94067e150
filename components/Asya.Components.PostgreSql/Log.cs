using Microsoft.Extensions.Logging;

namespace Asya.Components.PostgreSql;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL state store '{Component}' opened {Server}, table {Table} (schema version {Version})")]
    public static partial void StateStoreOpened(this ILogger logger, string component, string server, string table, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL state store '{Component}' upgraded table {Table} from schema version {From} to {To}")]
    public static partial void SchemaUpgraded(this ILogger logger, string component, string table, int from, int to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "State store '{Component}' removed {Count} expired entries")]
    public static partial void ExpiredRemoved(this ILogger logger, string component, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "State store '{Component}' could not remove expired entries; trying again in {Interval}")]
    public static partial void CleanupFailed(this ILogger logger, string component, TimeSpan interval, Exception exception);
}
