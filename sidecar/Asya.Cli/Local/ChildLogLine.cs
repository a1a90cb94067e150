using System.Globalization;
using System.Text.Json;
using Asya.Sidecar.Observability;

namespace Asya.Cli.Local;

/// <summary>
/// One line a sidecar wrote. JSON console lines (<c>--log-format json</c>) are read for level, message, event id and
/// fields; anything else (e.g. a runtime's own output) is kept as plain text. What <c>asya</c> acts on is the event id
/// and fields (<see cref="SidecarLogEvents"/>), never the message wording.
/// </summary>
/// <param name="Level">Short level: <c>trce dbug info warn fail crit</c>, or <c>text</c> for non-JSON lines.</param>
/// <param name="Text">Rendered message.</param>
internal sealed record ChildLogLine(string Level, string Text)
{
    /// <summary>Exception text, when the entry carried one.</summary>
    public string? ExceptionText { get; init; }

    /// <summary>The event id of a JSON entry (<see cref="SidecarLogEvents"/>); null for plain text.</summary>
    public int? EventId { get; init; }

    /// <summary>The entry's structured fields (JSON <c>State</c>), as text.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

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
            int? eventId = root.TryGetProperty(nameof(EventId), out var id) && id.TryGetInt32(out var number) ? number : null;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in state.EnumerateObject())
                {
                    fields[field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() ?? "" : field.Value.GetRawText();
                }
            }

            HopEvent? hop = null;
            if (eventId == SidecarLogEvents.EnvelopeHandled && fields.Count > 0)
            {
                hop = new HopEvent(
                    Field(fields, "EnvelopeId"),
                    Field(fields, "Actor"),
                    Field(fields, "Outcome"),
                    Field(fields, "Destination"),
                    double.TryParse(Field(fields, "DurationMs"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? ms : 0);
            }

            return new ChildLogLine(level, message) { ExceptionText = exception, EventId = eventId, Fields = fields, Hop = hop };
        }
        catch (JsonException)
        {
            return new ChildLogLine("text", line);
        }
    }

    /// <summary>The field's text, or empty when the entry has none of that name.</summary>
    public string Field(string name) => Field(Fields, name);

    private static string Field(IReadOnlyDictionary<string, string> fields, string name) => fields.GetValueOrDefault(name, "");

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
