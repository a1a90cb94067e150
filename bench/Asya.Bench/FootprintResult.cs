using System.Globalization;

namespace Asya.Bench;

/// <summary>One footprint run of one sidecar process on one broker; memory in KiB (VmRSS, VmHWM).</summary>
internal sealed record FootprintResult(string Transport, double ReadyMs, double ReadyCpuMs, long IdleRssKb, long SmallRssKb, long? LargeRssKb, long PeakRssKb)
{
    /// <summary>One line per transport: medians of its runs, then every run's start → ready.</summary>
    public static void Print(IReadOnlyList<FootprintResult> results, int messages, TextWriter output)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"transport   runs   start→ready ms   CPU to ready ms   idle RSS MB   RSS after {messages} × 1 KiB   RSS after {messages} × 1 MiB   peak RSS MB   start→ready ms per run"));
        foreach (var runs in results.GroupBy(r => r.Transport))
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{runs.Key,-10} {runs.Count(),5}   {Report.Median(runs.Select(r => r.ReadyMs)),14:F0}   {Report.Median(runs.Select(r => r.ReadyCpuMs)),15:F0}   {Mb(runs.Select(r => r.IdleRssKb)),11:F1}   {Mb(runs.Select(r => r.SmallRssKb)),22:F1}   {Large(runs),22}   {Mb(runs.Select(r => r.PeakRssKb)),11:F1}   {string.Join(' ', runs.Select(r => r.ReadyMs.ToString("F0", CultureInfo.InvariantCulture)))}"));
        }
    }

    private static string Large(IEnumerable<FootprintResult> runs) =>
        runs.Any(r => r.LargeRssKb is null) ? "n/a (broker limit)" : Mb(runs.Select(r => r.LargeRssKb!.Value)).ToString("F1", CultureInfo.InvariantCulture);

    private static double Mb(IEnumerable<long> kilobytes) => Report.Median(kilobytes.Select(k => k / 1024.0));
}
