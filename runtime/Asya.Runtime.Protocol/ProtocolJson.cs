using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Asya.Runtime.Protocol;

/// <summary>
/// The JSON settings every reader and writer of envelopes shares, above all the nesting limit: one number for the
/// sidecar, the CLI and (through <see cref="MaxDepthVariable"/>) the Python runtime, so a payload one part accepts is
/// never refused by the next. System.Text.Json's own default of 64 was far below what ML payloads nest.
/// </summary>
public static class ProtocolJson
{
    /// <summary>Default nesting limit of a whole JSON document (an envelope, a frame batch, a payload).</summary>
    public const int DefaultMaxDepth = 512;

    /// <summary>Largest accepted limit: deeper documents would risk the readers' stacks.</summary>
    public const int MaxMaxDepth = 10_000;

    /// <summary>The environment variable (and, lower-cased, the sidecar flag <c>--max-json-depth</c>) that sets the limit.</summary>
    public const string MaxDepthVariable = "ASYA_MAX_JSON_DEPTH";

    private static ProtocolJsonContext _context = Create(DefaultMaxDepth);

    /// <summary>The nesting limit in force.</summary>
    public static int MaxDepth { get; private set; } = DefaultMaxDepth;

    /// <summary>Source-generated serializers bound to <see cref="MaxDepth"/>; use instead of <c>ProtocolJsonContext.Default</c>.</summary>
    public static ProtocolJsonContext Context => _context;

    /// <summary>Options for <see cref="JsonDocument"/> reads bound to <see cref="MaxDepth"/>.</summary>
    public static JsonDocumentOptions DocumentOptions => new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Sets the limit for this process. A process-wide setting on purpose: it is configuration of the process (flag or
    /// environment), read once at start, and every envelope read or written in it must agree on it.
    /// </summary>
    public static void Configure(int maxDepth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDepth, MaxMaxDepth);
        _context = Create(maxDepth);
        MaxDepth = maxDepth;
    }

    /// <summary>Parses a limit as written in the flag or the variable; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParseMaxDepth(string text, out int maxDepth, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out maxDepth) && maxDepth is >= 1 and <= MaxMaxDepth)
        {
            error = null;
            return true;
        }

        error = $"'{text}' must be a whole number between 1 and {MaxMaxDepth}";
        return false;
    }

    /// <summary>The text of a depth failure, naming the limit and how to raise it.</summary>
    public static string DepthExceeded(string what) =>
        $"{what} nests deeper than the JSON depth limit of {MaxDepth} ({MaxDepthVariable})";

    /// <summary>True when <paramref name="exception"/> is System.Text.Json refusing a document for its depth.</summary>
    public static bool IsDepthError(Exception exception) =>
        exception is JsonException or InvalidOperationException
        && exception.Message.Contains("maximum configured depth", StringComparison.Ordinal);

    /// <summary>Serializes a node with the depth limit (<see cref="JsonNode.ToJsonString"/> stops at 64).</summary>
    public static string ToJsonString(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth + 1 }))
        {
            node.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ProtocolJsonContext Create(int maxDepth) =>
        new(new JsonSerializerOptions(ProtocolJsonContext.Default.Options) { MaxDepth = maxDepth });
}
