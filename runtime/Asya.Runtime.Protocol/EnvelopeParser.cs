using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Asya.Runtime.Protocol;

/// <summary>
/// Turns queue bytes into an <see cref="Envelope"/>, or says in one line why they are not one (docs/design.md §4 step 1).
/// Anything outside the shape of docs/design.md §1 is refused with the field it concerns: bytes that are not UTF-8, nesting
/// past <see cref="ProtocolJson.MaxDepth"/>, wrong types and <c>null</c> at any level. Optional parts written as
/// <c>null</c> (<c>parent_id</c>, <c>headers</c>, <c>status</c>) mean absent; missing route lists mean empty.
/// </summary>
public static class EnvelopeParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Parses <paramref name="body"/>; on failure <paramref name="error"/> names what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out Envelope? envelope, out string? error)
    {
        envelope = null;
        error = null;
        if (!Utf8.IsValid(body))
        {
            error = $"envelope body is not valid UTF-8 (first invalid byte at offset {InvalidUtf8Offset(body)})";
            return false;
        }

        Envelope? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, ProtocolJson.Context.Envelope);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            error = Describe(ex);
            return false;
        }

        if (parsed is null)
        {
            error = "envelope must be a JSON object, got null";
            return false;
        }

        error = Validate(parsed);
        if (error is not null)
        {
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
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = ProtocolJson.MaxDepth });
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
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }

        return null;
    }

    private static string? Validate(Envelope parsed)
    {
        if (parsed.Id is null || parsed.Id.Length == 0)
        {
            return "envelope missing required 'id' field";
        }

        if (parsed.Route is null)
        {
            return "envelope missing required 'route' field";
        }

        if (parsed.Route.Validate("route") is { } routeError)
        {
            return routeError;
        }

        if (parsed.Payload.ValueKind == JsonValueKind.Undefined)
        {
            return "envelope missing required 'payload' field";
        }

        return parsed.Status is { } status ? ValidateStatus(status) : null;
    }

    private static string? ValidateStatus(EnvelopeStatus status)
    {
        if (status.Phase is null)
        {
            return "envelope field 'status.phase' must be a string, got null";
        }

        if (status.Actor is null)
        {
            return "envelope field 'status.actor' must be a string, got null";
        }

        if (status.Error is not { } error)
        {
            return null;
        }

        if (error.Message is null || error.Type is null || error.Traceback is null)
        {
            var field = error.Message is null ? "message" : error.Type is null ? "type" : "traceback";
            return $"envelope field 'status.error.{field}' must be a string, got null";
        }

        return error.Mro is null || error.Mro.Contains(null!)
            ? "envelope field 'status.error.mro' must be an array of strings"
            : null;
    }

    private static string Describe(Exception ex)
    {
        if (ProtocolJson.IsDepthError(ex))
        {
            return ProtocolJson.DepthExceeded("envelope");
        }

        var message = ex.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        if (ex is JsonException { Path: { Length: > 2 } path } && path.StartsWith("$.", StringComparison.Ordinal))
        {
            var field = path[2..];
            var bracket = field.IndexOf('[', StringComparison.Ordinal);
            var name = bracket > 0 ? field[..bracket] : field;
            return $"envelope field '{name}' is not valid (at {field}): {message}";
        }

        return $"invalid envelope JSON: {message}";
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> body)
    {
        try
        {
            StrictUtf8.GetCharCount(body);
            return -1;
        }
        catch (DecoderFallbackException ex)
        {
            return ex.Index;
        }
    }
}
