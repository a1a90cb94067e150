namespace Asya.Sidecar.Observability;

/// <summary>
/// Counts a recurring problem and says when to warn about it: at most once per interval, with how many occurred since
/// the last warning, so a flood (a dead gateway, hostile headers) costs the log one line per interval.
/// </summary>
internal sealed class WarningThrottle(TimeProvider timeProvider, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;
    private long _sinceWarning;

    /// <summary>Counts <paramref name="count"/> occurrences; true when a warning is due, with the occurrences since the last one (these included).</summary>
    public bool Count(out long occurrences, long count = 1)
    {
        Interlocked.Add(ref _sinceWarning, count);
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            if (now - _lastWarning < interval)
            {
                occurrences = 0;
                return false;
            }

            _lastWarning = now;
            occurrences = Interlocked.Exchange(ref _sinceWarning, 0);
            return true;
        }
    }
}
