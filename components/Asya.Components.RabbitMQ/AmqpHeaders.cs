using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Asya.Components.RabbitMQ;

/// <summary>
/// Header mapping between the mesh (string headers) and AMQP tables (values typed by whoever wrote them), and the
/// delivery count this transport carries in a header because classic queues do not count deliveries.
/// </summary>
internal static class AmqpHeaders
{
    /// <summary>Deliveries of earlier copies, written on every republish (nack, lease expiry, redelivery).</summary>
    public const string DeliveryCount = "x-asya-delivery-count";

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Deliveries of earlier copies of this message, as counted in <see cref="DeliveryCount"/> (0 when absent).</summary>
    public static long PriorDeliveries(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is not { } headers || !headers.TryGetValue(DeliveryCount, out var value))
        {
            return 0;
        }

        return value switch
        {
            long l => l,
            int i => i,
            byte[] text when long.TryParse(Encoding.UTF8.GetString(text), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        };
    }

    /// <summary>The sender's headers as AMQP table entries (UTF-8 byte strings, which every client reads).</summary>
    public static Dictionary<string, object?> ToAmqp(IReadOnlyDictionary<string, string> headers)
    {
        var amqp = new Dictionary<string, object?>(headers.Count, StringComparer.Ordinal);
        foreach (var (key, value) in headers)
        {
            amqp[key] = Encoding.UTF8.GetBytes(value);
        }

        return amqp;
    }

    /// <summary>The sender's headers out of an AMQP table, without those the broker, the client or this transport added.</summary>
    public static IReadOnlyDictionary<string, string> FromAmqp(IDictionary<string, object?>? headers)
    {
        if (headers is not { Count: > 0 })
        {
            return NoHeaders;
        }

        Dictionary<string, string>? result = null;
        foreach (var (key, value) in headers)
        {
            if (IsTransportHeader(key))
            {
                continue;
            }

            var text = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string s => s,
                null => null,
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                (result ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = text;
            }
        }

        return result ?? NoHeaders;
    }

    /// <summary>Headers the broker, the client or this transport add, which are not the sender's.</summary>
    public static bool IsTransportHeader(string key) =>
        key is DeliveryCount or Constants.PublishSequenceNumberHeader or "x-death" or "x-delivery-count"
        || key.StartsWith("x-first-death-", StringComparison.Ordinal)
        || key.StartsWith("x-last-death-", StringComparison.Ordinal);
}
