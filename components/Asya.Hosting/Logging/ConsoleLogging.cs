using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Asya.Hosting.Logging;

/// <summary>The console logging of a long-running Asya process (sidecar, gateway): JSON lines or single-line text, UTC.</summary>
public static class ConsoleLogging
{
    /// <summary>
    /// Replaces <paramref name="logging"/>'s providers with the console in <paramref name="format"/> (<c>json</c> or
    /// <c>text</c>) at <paramref name="level"/>; the framework's own categories only from warnings up.
    /// </summary>
    public static void Configure(ILoggingBuilder logging, string level, string format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevels.Parse(level));
        logging.AddFilter("Microsoft", LogLevel.Warning);
        if (format == "json")
        {
            logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName);
            logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }
}
