using System.Globalization;

namespace Asya.Bench;

internal sealed record BenchOptions(int Messages, int LatencyMessages, int Runs, int Concurrency, string Transport, string PythonRuntime, string Python, string SidecarDll, string Mode = BenchOptions.HopMode, int FootprintMessages = 10000)
{
    /// <summary>The mesh hop beside its baselines.</summary>
    public const string HopMode = "hop";

    /// <summary>The mesh hop without a gateway and with envelopes naming a gateway that never answers.</summary>
    public const string GatewayMode = "gateway";

    /// <summary>One sidecar process per transport: start → ready, idle RSS, RSS after 1 KiB and 1 MiB envelopes.</summary>
    public const string FootprintMode = "footprint";

    public static string Usage =>
        "usage: bench [--transport " + string.Join('|', Brokers.BrokerBenches.Names) + " (default sqlite)] [--messages N (throughput burst, default 2000)]"
        + " [--latency-messages N (default 300)] [--runs R (default 3)] [--concurrency C (sidecar workers, default 1)] [--mode hop|gateway|footprint (default hop)]"
        + " [--footprint-messages N (envelopes of each size, default 10000)] [--sidecar <asya-sidecar.dll or executable> (default: the Release build)]"
        + "; --mode footprint takes a comma list of transports (default: sqlite and every broker whose address variable is set)";

    /// <summary>
    /// The brokers to measure: <c>--transport</c>'s comma list; none named, sqlite (hop and gateway modes), or sqlite and
    /// every broker whose address variable is set (footprint).
    /// </summary>
    public IReadOnlyList<string> TransportNames =>
        Transport.Length > 0 ? Transport.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : Mode == FootprintMode ? Brokers.BrokerBenches.Reachable
        : ["sqlite"];

    public static BenchOptions? Parse(string[] args)
    {
        var messages = 2000;
        var latency = 300;
        var runs = 3;
        var concurrency = 1;
        var transport = "";
        var mode = HopMode;
        var footprintMessages = 10000;
        string? sidecar = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--transport" && i + 1 < args.Length)
            {
                transport = args[++i];
                continue;
            }

            if (args[i] == "--sidecar" && i + 1 < args.Length)
            {
                sidecar = Path.GetFullPath(args[++i]);
                continue;
            }

            if (args[i] == "--mode" && i + 1 < args.Length && args[i + 1] is HopMode or GatewayMode or FootprintMode)
            {
                mode = args[++i];
                continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return null;
            }

            switch (args[i])
            {
                case "--messages": messages = value; break;
                case "--latency-messages": latency = value; break;
                case "--runs": runs = value; break;
                case "--concurrency": concurrency = value; break;
                case "--footprint-messages": footprintMessages = value; break;
                default: return null;
            }

            i++;
        }

        var root = FindRoot();
        var runtime = Environment.GetEnvironmentVariable("ASYA_PYTHON_RUNTIME") is { Length: > 0 } custom
            ? custom
            : Path.Combine(root, "runtime", "python", "asya_runtime.py");
        var sidecarDll = sidecar ?? Path.Combine(root, "sidecar", "Asya.Sidecar.Host", "bin", "Release", "net10.0", "asya-sidecar.dll");
        return new BenchOptions(messages, latency, runs, concurrency, transport, runtime, "python3", sidecarDll, mode, footprintMessages);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Asya.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
