using System.Globalization;
using Asya.Components.Gcp.PubSubV1;

namespace Asya.Components.Gcp;

/// <summary>
/// Attributes the transport adds for itself (Pub/Sub has no delayed delivery and no body-less message), all under one
/// prefix and removed before headers reach the caller.
/// </summary>
internal static class TransportAttributes
{
    public const string Prefix = "asya-transport-";

    /// <summary>Unix milliseconds before which the message must not be handed out (delayed send, long nack delay).</summary>
    public const string NotBefore = Prefix + "not-before";

    /// <summary>Deliveries of the message this one was republished from (a nack delayed beyond 600 s).</summary>
    public const string PriorDeliveries = Prefix + "prior-deliveries";

    /// <summary>Marks a message with an empty body and no headers, which Pub/Sub would reject as empty.</summary>
    public const string Empty = Prefix + "empty";

    public static DateTimeOffset? GetNotBefore(PubsubMessage message) =>
        message.Attributes.TryGetValue(NotBefore, out var text)
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    public static int GetPriorDeliveries(PubsubMessage message) =>
        message.Attributes.TryGetValue(PriorDeliveries, out var text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var prior) && prior > 0
            ? prior
            : 0;

    public static string Format(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The sender's headers as attributes; a header under <see cref="Prefix"/> is refused, being the transport's own.</summary>
    public static void SetHeaders(PubsubMessage message, IReadOnlyDictionary<string, string>? headers, string parameterName)
    {
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"header '{key}' uses the prefix {Prefix}, which the Pub/Sub transport keeps for itself", parameterName);
            }

            message.Attributes[key] = value;
        }
    }

    /// <summary>The sender's headers: the attributes without the transport's own.</summary>
    public static IReadOnlyDictionary<string, string> Headers(PubsubMessage message)
    {
        var headers = new Dictionary<string, string>(message.Attributes.Count, StringComparer.Ordinal);
        foreach (var (key, value) in message.Attributes)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                headers[key] = value;
            }
        }

        return headers;
    }

    /// <summary>Whole seconds for an ack deadline: rounded up so a message never comes back early, within 0..600.</summary>
    public static int DeadlineSeconds(TimeSpan time) =>
        time <= TimeSpan.Zero ? 0 : (int)Math.Min(600, Math.Ceiling(time.TotalSeconds));
}
