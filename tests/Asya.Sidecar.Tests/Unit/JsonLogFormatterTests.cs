using System.Text.Json;
using Asya.Hosting.Logging;
using Asya.Sidecar.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Sidecar.Tests.Unit;

public sealed class JsonLogFormatterTests
{
    [Fact]
    public void Write_EnvelopeHandled_OneJsonLineWithEventNameAndFields()
    {
        var logger = new CapturingLogger();
        logger.EnvelopeHandled("e-1", "echo", "succeeded", "x-sink", 12);

        using var line = JsonDocument.Parse(logger.Output.ToString());
        var root = line.RootElement;
        Assert.Equal("EnvelopeHandled", root.GetProperty("EventName").GetString());
        Assert.Equal(1, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Envelope e-1 handled by echo: succeeded -> x-sink in 12 ms", root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal("e-1", state.GetProperty("EnvelopeId").GetString());
        Assert.Equal("x-sink", state.GetProperty("Destination").GetString());
        Assert.Equal(12, state.GetProperty("DurationMs").GetInt64());
        Assert.EndsWith("\n", logger.Output.ToString(), StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly JsonLogFormatter _formatter = new();

        public StringWriter Output { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _formatter.Write(new LogEntry<TState>(logLevel, "test", eventId, state, exception, formatter), null, Output);
    }
}
