namespace Asya.Bench;

/// <summary>One measurement: throughput of a burst, and per-message latencies of a closed loop.</summary>
internal sealed record ScenarioResult(string Name, double MessagesPerSecond, IReadOnlyList<double> LatenciesMs)
{
    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
