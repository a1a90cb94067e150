using System.Globalization;

namespace Asya.Bench;

internal static class Report
{
    public static void Print(IReadOnlyList<ScenarioResult> results, string rawLoopName, TextWriter output)
    {
        var byName = results.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.ToList());
        output.WriteLine("scenario                           runs   msg/s (median)   p50 ms (median)   p99 ms (median)   msg/s per run");
        foreach (var (name, runs) in byName)
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name,-34} {runs.Count,4}   {Median(runs.Select(r => r.MessagesPerSecond)),14:F0}   {Median(runs.Select(r => r.Percentile(50))),15:F3}   {Median(runs.Select(r => r.Percentile(99))),15:F3}   {string.Join(' ', runs.Select(r => r.MessagesPerSecond.ToString("F0", CultureInfo.InvariantCulture)))}"));
        }

        GatewayHopScenario.PrintRatio(byName.ToDictionary(p => p.Key, p => Median(p.Value.Select(r => r.MessagesPerSecond))), output);
        foreach (var meshName in new[] { MeshHopScenario.Name, MeshHopScenario.CrossProcessName })
        {
            if (!byName.TryGetValue(meshName, out var mesh))
            {
                continue;
            }

            var meshRate = Median(mesh.Select(r => r.MessagesPerSecond));
            var meshP50 = Median(mesh.Select(r => r.Percentile(50)));
            output.WriteLine();
            foreach (var baseline in new[] { RuntimeSocketScenario.Name, rawLoopName })
            {
                if (byName.TryGetValue(baseline, out var b))
                {
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{meshName} / {baseline}: throughput {meshRate / Median(b.Select(r => r.MessagesPerSecond)):P0}, p50 latency x{meshP50 / Median(b.Select(r => r.Percentile(50))):F1}"));
                }
            }
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
