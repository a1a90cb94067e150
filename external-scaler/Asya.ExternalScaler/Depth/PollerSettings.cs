namespace Asya.ExternalScaler.Depth;

/// <summary>Timing of one transport's poller.</summary>
/// <param name="Interval">Time between two polls of all referenced queues.</param>
/// <param name="StaleAfter">A sample older than this is refused (<c>Unavailable</c>), never served as a depth.</param>
/// <param name="ForgetAfter">A queue nobody asked about for this long, and with no push stream, stops being polled.</param>
internal sealed record PollerSettings(TimeSpan Interval, TimeSpan StaleAfter, TimeSpan ForgetAfter)
{
    private static readonly TimeSpan FastInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HttpApiInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Between two polls, how often the live ready counts of queues with a push stream are asked for, on a transport
    /// whose depths lag (<see cref="Asya.Components.Abstractions.IReadyCountSource"/>): activation within ~100 ms.
    /// </summary>
    public TimeSpan ProbeInterval { get; init; } = FastInterval;

    /// <summary>
    /// Embedded and Redis transports answer in well under a millisecond, so 100 ms keeps push activation quick;
    /// brokers counted through HTTP APIs (RabbitMQ management, SQS, Pub/Sub) get 1 s so a poll never queues behind the last.
    /// </summary>
    public static PollerSettings For(string componentType, TimeSpan? interval, TimeSpan? staleAfter, TimeSpan forgetAfter)
    {
        var every = interval ?? (componentType is "pubsub.sqlite" or "pubsub.redis" or "pubsub.in-memory" ? FastInterval : HttpApiInterval);
        var stale = staleAfter ?? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, every.Ticks * 10));
        return new PollerSettings(every, stale, forgetAfter);
    }
}
