using Microsoft.Extensions.Logging;

namespace Asya.Components.Sqlite.Tests;

/// <summary>Hands every formatted log line to a callback, so a test can wait for an event the component only logs.</summary>
internal sealed class CallbackLogger<T>(Action<string> onLine) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        onLine(formatter(state, exception));
    }
}
