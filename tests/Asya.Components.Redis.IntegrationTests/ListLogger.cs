using Microsoft.Extensions.Logging;

namespace Asya.Components.Redis.IntegrationTests;

/// <summary>Keeps every formatted log line, for assertions on warnings.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IEnumerable<string> At(LogLevel level)
    {
        lock (_entries)
        {
            return [.. _entries.Where(e => e.Level == level).Select(e => e.Message)];
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
