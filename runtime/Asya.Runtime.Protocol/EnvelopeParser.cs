using System.Text.Json;

namespace Asya.Runtime.Protocol;

/// <summary>
/// Turns queue bytes into an <see cref="Envelope"/>, or says in one line why they are not one
/// (mesh.md §4 step 1: bad JSON, not an object, missing <c>id</c>, missing <c>route</c>, missing <c>payload</c>).
/// </summary>
public static class EnvelopeParser
{
    /// <summary>Parses <paramref name="body"/>; on failure <paramref name="error"/> names what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out Envelope? envelope, out string? error)
    {
        envelope = null;
        error = null;
        Envelope? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.Envelope);
        }
        catch (JsonException ex)
        {
            error = $"invalid envelope JSON: {ex.Message}";
            return false;
        }

        if (parsed is null)
        {
            error = "envelope must be a JSON object, got null";
            return false;
        }

        if (string.IsNullOrEmpty(parsed.Id))
        {
            error = "envelope missing required 'id' field";
            return false;
        }

        if (parsed.Route is null)
        {
            error = "envelope missing required 'route' field";
            return false;
        }

        if (parsed.Payload.ValueKind == JsonValueKind.Undefined)
        {
            error = "envelope missing required 'payload' field";
            return false;
        }

        envelope = parsed;
        return true;
    }

    /// <summary>Best-effort read of the <c>id</c> of a body that failed to parse, for error envelopes.</summary>
    public static string? TryReadId(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
