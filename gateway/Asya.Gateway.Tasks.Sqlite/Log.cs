using Microsoft.Extensions.Logging;

namespace Asya.Gateway.Tasks.Sqlite;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Task store opened: SQLite {Path}, schema version {Version}")]
    public static partial void TaskStoreOpened(this ILogger logger, string path, int version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Task store schema migrated from version {From} to {To}: SQLite {Path}")]
    public static partial void TaskStoreMigrated(this ILogger logger, string path, int from, int to);
}
