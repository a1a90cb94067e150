using Microsoft.Extensions.Logging;

namespace Asya.Components.RabbitMQ.IntegrationTests;

/// <summary>A logger factory whose loggers all write formatted lines into one list, for assertions on log notes.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILogger
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<string> Lines(LogLevel level)
    {
        lock (_lines)
        {
            return [.. _lines.Where(l => l.Level == level).Select(l => l.Message)];
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lines)
        {
            _lines.Add((logLevel, formatter(state, exception)));
        }
    }

    public void Dispose()
    {
    }
}
