using Microsoft.Extensions.Logging;

namespace Asya.Components;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "{Diagnostic}")]
    public static partial void ManifestWarning(this ILogger logger, string diagnostic);

    [LoggerMessage(3, LogLevel.Information, "component '{Name}' ({Location}) skipped: {Reason}")]
    public static partial void ComponentSkipped(this ILogger logger, string name, string location, string reason);

    [LoggerMessage(6, LogLevel.Information, "component '{Name}' of type {Type} loaded from {File}")]
    public static partial void ComponentLoaded(this ILogger logger, string name, string type, string file);

    [LoggerMessage(7, LogLevel.Warning, "disposing component '{Name}' failed")]
    public static partial void DisposeFailed(this ILogger logger, Exception exception, string name);

    [LoggerMessage(8, LogLevel.Debug, "component '{Name}' ({File}): envRef '{Variable}' for metadata '{Key}' is not set; the value is empty")]
    public static partial void EnvRefUnset(this ILogger logger, string name, string file, string variable, string key);

    [LoggerMessage(10, LogLevel.Warning, "{Message}")]
    public static partial void ResiliencyWarning(this ILogger logger, string message);

    [LoggerMessage(11, LogLevel.Debug, "{Location}: document of kind '{Kind}' ({ApiVersion}) left to its own loader")]
    public static partial void OtherDocument(this ILogger logger, string location, string kind, string apiVersion);
}
