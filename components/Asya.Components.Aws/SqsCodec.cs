using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Amazon.SQS.Model;
using Asya.Components.Abstractions;

namespace Asya.Components.Aws;

/// <summary>
/// Maps our messages onto SQS's. An SQS body is text restricted to XML characters, so a body that is valid UTF-8 of
/// allowed characters (every envelope) goes as is, and any other body goes as base64 with <c>asya.encoding</c> set.
/// Headers become string message attributes, as other SQS consumers expect; when they do not fit SQS's rules (10
/// attributes, name syntax, non-empty values) they travel together as JSON in <c>asya.headers</c>.
/// </summary>
internal static class SqsCodec
{
    public const string EncodingAttribute = "asya.encoding";
    public const string HeadersAttribute = "asya.headers";
    public const string NotBeforeAttribute = "asya.not-before";
    public const string DeliveriesAttribute = "asya.deliveries";
    public const string Base64Encoding = "base64";

    /// <summary>SQS rejects an empty body, so an empty one travels as a placeholder with this encoding.</summary>
    public const string EmptyEncoding = "empty";

    private const string StringType = "String";
    private const string EmptyPlaceholder = "-";
    private const int MaxAttributes = 10;
    private const string ReservedPrefix = "asya.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>The body text and, unless sent as is, its encoding.</summary>
    public static (string Text, string? Encoding) EncodeBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (EmptyPlaceholder, EmptyEncoding);
        }

        if (Utf8.IsValid(body))
        {
            var text = StrictUtf8.GetString(body);
            if (IsSqsText(text))
            {
                return (text, null);
            }
        }

        return (Convert.ToBase64String(body), Base64Encoding);
    }

    public static byte[] DecodeBody(string? text, string? encoding) => encoding switch
    {
        EmptyEncoding => [],
        Base64Encoding => Convert.FromBase64String(text ?? string.Empty),
        _ => Encoding.UTF8.GetBytes(text ?? string.Empty),
    };

    public static Dictionary<string, MessageAttributeValue> EncodeAttributes(
        IReadOnlyDictionary<string, string>? headers, string? encoding, long? notBeforeUnixMs, int? priorDeliveries)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        if (encoding is not null)
        {
            attributes[EncodingAttribute] = Text(encoding);
        }

        if (notBeforeUnixMs is { } notBefore)
        {
            attributes[NotBeforeAttribute] = Text(notBefore.ToString(CultureInfo.InvariantCulture));
        }

        if (priorDeliveries is > 0 and var prior)
        {
            attributes[DeliveriesAttribute] = Text(prior.ToString(CultureInfo.InvariantCulture));
        }

        if (headers is not { Count: > 0 })
        {
            return attributes;
        }

        if (attributes.Count + headers.Count <= MaxAttributes && headers.All(h => IsAttributeName(h.Key) && h.Value.Length > 0 && IsSqsText(h.Value)))
        {
            foreach (var (name, value) in headers)
            {
                attributes[name] = Text(value);
            }
        }
        else
        {
            attributes[HeadersAttribute] = Text(StringMapJson.Serialize(headers));
        }

        return attributes;
    }

    /// <summary>Headers and our own attributes of a received message.</summary>
    public static SqsAttributes DecodeAttributes(Dictionary<string, MessageAttributeValue>? attributes)
    {
        if (attributes is not { Count: > 0 })
        {
            return new SqsAttributes(NoHeaders, null, null, 0);
        }

        Dictionary<string, string>? headers = null;
        string? encoding = null;
        long? notBefore = null;
        var prior = 0;
        foreach (var (name, value) in attributes)
        {
            var text = value.StringValue;
            switch (name)
            {
                case EncodingAttribute:
                    encoding = text;
                    break;
                case NotBeforeAttribute:
                    notBefore = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var due) ? due : null;
                    break;
                case DeliveriesAttribute:
                    prior = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? Math.Max(0, count) : 0;
                    break;
                case HeadersAttribute:
                    foreach (var (key, headerValue) in ParseHeaders(text))
                    {
                        (headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = headerValue;
                    }

                    break;
                default:
                    // Attributes from other producers (numbers included) are headers too; binary ones are not text.
                    if (text is not null && !value.DataType.StartsWith("Binary", StringComparison.Ordinal))
                    {
                        (headers ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = text;
                    }

                    break;
            }
        }

        return new SqsAttributes(headers ?? NoHeaders, encoding, notBefore, prior);
    }

    /// <summary>The size SQS counts against its limit: body plus each attribute's name, type and value.</summary>
    public static int Size(string body, Dictionary<string, MessageAttributeValue> attributes)
    {
        var size = Encoding.UTF8.GetByteCount(body);
        foreach (var (name, value) in attributes)
        {
            size += Encoding.UTF8.GetByteCount(name) + value.DataType.Length + Encoding.UTF8.GetByteCount(value.StringValue ?? string.Empty);
        }

        return size;
    }

    /// <summary>SQS's attribute-name rule: letters, digits, <c>_ - .</c>, no leading, trailing or double dot, not AWS's prefixes, not ours.</summary>
    public static bool IsAttributeName(string name) =>
        name.Length is > 0 and <= 256
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && name[0] != '.' && name[^1] != '.'
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.StartsWith("aws.", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("amazon.", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>SQS accepts #x9, #xA, #xD, #x20–#xD7FF, #xE000–#xFFFD and #x10000–#x10FFFF.</summary>
    private static bool IsSqsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    private static MessageAttributeValue Text(string value) => new() { DataType = StringType, StringValue = value };

    private static Dictionary<string, string> ParseHeaders(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return StringMapJson.Deserialize(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
