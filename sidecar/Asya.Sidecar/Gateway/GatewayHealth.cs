using System.Collections.Concurrent;
using Asya.Components.Abstractions;

namespace Asya.Sidecar.Gateway;

/// <summary>
/// Which gateways did not answer lately. A gateway that timed out or refused a connection is <em>down</em> for a
/// backoff (1 s doubling to 30 s); meanwhile nobody waits for it (reports are dropped and counted, pre-flight fails
/// open at once), and when the backoff ends one caller alone probes it again. So a dead gateway costs the envelope path
/// at most one timeout, not one per envelope.
/// </summary>
internal sealed class GatewayHealth(TimeProvider timeProvider)
{
    private static readonly Backoff DownBackoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private readonly ConcurrentDictionary<string, Down> _down = new(StringComparer.Ordinal);

    /// <summary>
    /// True when calls to <paramref name="baseUrl"/> should go ahead: it is not down, or its backoff is over and this
    /// caller won the probe (the others keep skipping until the probe says up or down).
    /// </summary>
    public bool MayCall(string baseUrl)
    {
        if (!_down.TryGetValue(baseUrl, out var down))
        {
            return true;
        }

        lock (down)
        {
            var now = timeProvider.GetUtcNow();
            if (now < down.Until)
            {
                return false;
            }

            // Claim the probe: nobody else calls until it ends (MarkUp or MarkDown), or its own timeout passes twice.
            down.Until = now + down.Delay;
            return true;
        }
    }

    public bool IsDown(string baseUrl) => _down.ContainsKey(baseUrl);

    public void MarkUp(string baseUrl) => _down.TryRemove(baseUrl, out _);

    public void MarkDown(string baseUrl)
    {
        var down = _down.GetOrAdd(baseUrl, _ => new Down());
        lock (down)
        {
            down.Delay = DownBackoff.Next(down.Delay);
            down.Until = timeProvider.GetUtcNow() + down.Delay;
        }
    }

    private sealed class Down
    {
        public TimeSpan Delay { get; set; }

        public DateTimeOffset Until { get; set; }
    }
}
