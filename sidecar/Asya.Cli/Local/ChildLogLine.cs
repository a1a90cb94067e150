using System.Globalization;
using System.Text.Json;

namespace Asya.Cli.Local;

/// <summary>
/// One line a sidecar wrote. JSON console lines (<c>--log-format json</c>) are read for level, message and the
/// <c>EnvelopeHandled</c> state; anything else (e.g. a runtime's own output) is kept as plain text.
/// </summary>
/// <param name="Level">Short level: <c>trce dbug info warn fail crit</c>, or <c>text</c> for non-JSON lines.</param>
/// <param name="Text">Rendered message.</param>
internal sealed record ChildLogLine(string Level, string Text)
{
    public const string HandledEventName = "EnvelopeHandled";

    /// <summary>Exception text, when the entry carried one.</summary>
    public string? ExceptionText { get; init; }

    /// <summary>The hop event, when this is an <c>EnvelopeHandled</c> entry.</summary>
    public HopEvent? Hop { get; init; }

    /// <summary>Warnings and worse, and plain text (a runtime printing to stderr usually matters).</summary>
    public bool IsImportant => Level is "warn" or "fail" or "crit" or "text";

    public static ChildLogLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{'))
        {
            return new ChildLogLine("text", line);
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("LogLevel", out var levelElement))
            {
                return new ChildLogLine("text", line);
            }

            var level = ShortLevel(levelElement.GetString());
            var message = root.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";
            var exception = root.TryGetProperty("Exception", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            HopEvent? hop = null;
            if (root.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object && IsHandled(root, state))
            {
                hop = new HopEvent(
                    Field(state, "EnvelopeId"),
                    Field(state, "Actor"),
                    Field(state, "Outcome"),
                    Field(state, "Destination"),
                    double.TryParse(Field(state, "DurationMs"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : 0);
            }

            return new ChildLogLine(level, message) { ExceptionText = exception, Hop = hop };
        }
        catch (JsonException)
        {
            return new ChildLogLine("text", line);
        }
    }

    // The JSON console formatter writes the numeric EventId only; the name is checked where a formatter gives it,
    // else the state shape identifies the event.
    private static bool IsHandled(JsonElement root, JsonElement state)
    {
        if (root.TryGetProperty("EventName", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return name.GetString() == HandledEventName;
        }

        return state.TryGetProperty("EnvelopeId", out _) && state.TryGetProperty("Outcome", out _) && state.TryGetProperty("Destination", out _);
    }

    private static string Field(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()
            : "";

    private static string ShortLevel(string? level) => level switch
    {
        "Trace" => "trce",
        "Debug" => "dbug",
        "Information" => "info",
        "Warning" => "warn",
        "Error" => "fail",
        "Critical" => "crit",
        _ => "info",
    };
}
