using System.Globalization;

namespace Asya.Components.RabbitMQ;

/// <summary>
/// Retry-delay queues: <c>&lt;queue&gt;.delay.&lt;ms&gt;</c> holds messages for exactly <c>ms</c> (queue TTL), then dead-letters
/// them through the default exchange to <c>&lt;queue&gt;</c>. One TTL per queue keeps expiry in FIFO order, which a
/// per-message TTL in one shared queue would not (a long delay at the head would hold back short ones behind it).
/// Delays are rounded up to two significant digits so jittered backoffs share a few queues.
/// </summary>
internal static class DelayQueues
{
    public const string Infix = ".delay.";

    /// <summary>How long an unused delay queue outlives its last message (RabbitMQ <c>x-expires</c>).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromMinutes(5);

    /// <summary>Redeclaring renews <c>x-expires</c>; doing it this often keeps a queue alive while it has messages.</summary>
    public static readonly TimeSpan Renew = TimeSpan.FromMinutes(1);

    public static long BucketMilliseconds(TimeSpan delay)
    {
        var ms = (long)Math.Ceiling(delay.TotalMilliseconds);
        if (ms < 100)
        {
            return Math.Max(1, ms);
        }

        var scale = (long)Math.Pow(10, Math.Floor(Math.Log10(ms)) - 1);
        return (ms + scale - 1) / scale * scale;
    }

    public static string Name(string queue, long bucketMilliseconds) =>
        queue + Infix + bucketMilliseconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The queue a delay queue feeds, or null when <paramref name="name"/> is not a delay queue.</summary>
    public static string? TargetOf(string name)
    {
        var infix = name.LastIndexOf(Infix, StringComparison.Ordinal);
        return infix > 0 && name.Length > infix + Infix.Length && long.TryParse(name.AsSpan(infix + Infix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? name[..infix]
            : null;
    }

    public static Dictionary<string, object?> Arguments(string queue, long bucketMilliseconds) => new()
    {
        ["x-message-ttl"] = bucketMilliseconds,
        ["x-dead-letter-exchange"] = string.Empty,
        ["x-dead-letter-routing-key"] = queue,
        ["x-expires"] = bucketMilliseconds + (long)(Linger + Renew).TotalMilliseconds,
    };
}
