using System.Collections;

namespace Asya.Hosting.Health;

/// <summary>The heartbeats of a process's background loops, as <c>/readyz</c> reads them; loops add theirs when created.</summary>
public sealed class LoopHeartbeats(TimeProvider timeProvider) : IEnumerable<LoopHeartbeat>
{
    private readonly Lock _gate = new();
    private readonly List<LoopHeartbeat> _loops = [];

    /// <summary>A new heartbeat, idle until the loop first beats.</summary>
    public LoopHeartbeat Add(string name, TimeSpan deadline)
    {
        var heartbeat = new LoopHeartbeat(name, deadline, timeProvider);
        lock (_gate)
        {
            _loops.Add(heartbeat);
        }

        return heartbeat;
    }

    public IEnumerator<LoopHeartbeat> GetEnumerator()
    {
        lock (_gate)
        {
            return _loops.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Why <paramref name="loops"/> make the process unready (each stale loop described), or null when none is stale.</summary>
    public static string? Problem(IEnumerable<LoopHeartbeat> loops)
    {
        ArgumentNullException.ThrowIfNull(loops);
        var stale = loops.Where(l => l.IsStale).Select(l => l.Describe()).ToList();
        return stale.Count == 0 ? null : string.Join("; ", stale);
    }
}
