namespace Asya.Bench.Gateway;

internal static class Stats
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–100) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>The 1-minute load average, printed beside each number: the machine is shared.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
