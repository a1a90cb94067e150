using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Asya.Runtime.Protocol;

/// <summary>
/// RFC 3339 timestamps: written in UTC with millisecond precision (<c>2026-01-01T00:00:00.000Z</c>), read with any
/// precision and offset. Go writes up to nine fractional digits, more than <see cref="DateTimeOffset"/> parses.
/// </summary>
public sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString() ?? throw new JsonException("timestamp must be a string"));

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    /// <summary>Formats as UTC with milliseconds.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 timestamp of any fractional precision.</summary>
    /// <exception cref="JsonException">The text is not an RFC 3339 timestamp.</exception>
    public static DateTimeOffset Parse(string text)
    {
        if (TryParse(text, out var value))
        {
            return value;
        }

        throw new JsonException($"'{text}' is not an RFC 3339 timestamp");
    }

    /// <summary>Parses an RFC 3339 timestamp of any fractional precision.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            // Keep at most 7 fractional digits (100 ns ticks).
            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}

/// <summary><see cref="Rfc3339Converter"/> for optional timestamps.</summary>
public sealed class NullableRfc3339Converter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Rfc3339Converter.Parse(reader.GetString() ?? "");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(Rfc3339Converter.Format(v));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
