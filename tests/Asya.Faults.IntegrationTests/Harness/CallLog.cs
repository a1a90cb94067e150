using System.Globalization;

namespace Asya.Faults.IntegrationTests.Harness;

/// <summary>The handler's calls file read back: per id, the pid and CLOCK_MONOTONIC time of every call.</summary>
internal sealed class CallLog
{
    private CallLog(IReadOnlyDictionary<string, IReadOnlyList<Call>> calls) => Calls = calls;

    public IReadOnlyDictionary<string, IReadOnlyList<Call>> Calls { get; }

    /// <summary>Calls beyond the first of each id.</summary>
    public int DuplicateCalls => Calls.Values.Sum(c => c.Count - 1);

    public static CallLog Read(string path)
    {
        var calls = new Dictionary<string, List<Call>>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(' ');
                // "?": a payload without a string id (hostile input); not an envelope the suite tracks.
                if (parts.Length != 3 || parts[0] == "?")
                {
                    continue;
                }

                var call = new Call(int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
                if (!calls.TryGetValue(parts[0], out var list))
                {
                    calls[parts[0]] = list = [];
                }

                list.Add(call);
            }
        }

        return new CallLog(calls.ToDictionary(c => c.Key, c => (IReadOnlyList<Call>)[.. c.Value.OrderBy(x => x.Time)], StringComparer.Ordinal));
    }

    /// <summary>
    /// Ids called more than once with no harness fault overlapping the span from their first to their last call:
    /// duplicates no fault explains. <paramref name="faults"/> holds each fault's start and end, in pairs; a broker
    /// restart lasts seconds, and a message delivered just before the broker went down can be called again once it is
    /// back, both calls inside that window.
    /// </summary>
    public IReadOnlyList<string> UnexplainedDuplicates(IReadOnlyList<long> faults, IReadOnlySet<string> exempt)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var windows = Enumerable.Range(0, faults.Count / 2).Select(i => (Start: faults[2 * i], End: faults[(2 * i) + 1])).ToList();
        return [.. Calls.Where(c => c.Value.Count > 1 && !exempt.Contains(c.Key)
                && !windows.Any(w => w.Start < c.Value[^1].Time && w.End > c.Value[0].Time))
            .Select(c => $"{c.Key} ({c.Value.Count} calls, pids {string.Join(",", c.Value.Select(x => x.Pid))})")];
    }

    internal sealed record Call(int Pid, long Time);
}
