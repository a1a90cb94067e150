using Microsoft.Extensions.Logging;

namespace Asya.Cli.Mesh;

/// <summary>Keeps warning messages of a reader that reports through a logger, so a check can print them in its table.</summary>
internal sealed class CollectingLogger : ILogger
{
    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            Messages.Add(formatter(state, exception));
        }
    }
}
