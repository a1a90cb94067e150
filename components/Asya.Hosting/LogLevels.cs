using Microsoft.Extensions.Logging;

namespace Asya.Hosting;

/// <summary>The log level names every Asya process takes (<c>--log-level</c>, <c>ASYA_LOG_LEVEL</c>).</summary>
public static class LogLevels
{
    public const string Vocabulary = "trace, debug, info, warn, error or critical";

    public static bool TryParse(string text, out LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(text);
        LogLevel? parsed = text.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => null,
        };
        level = parsed ?? LogLevel.Information;
        return parsed is not null;
    }

    /// <summary>The level of a name already checked by <see cref="TryParse"/>; unknown names are <see cref="LogLevel.Information"/>.</summary>
    public static LogLevel Parse(string text) => TryParse(text, out var level) ? level : LogLevel.Information;
}
