using System.Globalization;

namespace Asya.Bench;

internal sealed record BenchOptions(int Messages, int LatencyMessages, int Runs, int Concurrency, string Transport, string PythonRuntime, string Python, string SidecarDll, string Mode = BenchOptions.HopMode)
{
    /// <summary>The mesh hop beside its baselines.</summary>
    public const string HopMode = "hop";

    /// <summary>The mesh hop without a gateway and with envelopes naming a gateway that never answers.</summary>
    public const string GatewayMode = "gateway";

    public static string Usage =>
        "usage: bench [--transport " + string.Join('|', Brokers.BrokerBenches.Names) + " (default sqlite)] [--messages N (throughput burst, default 2000)]"
        + " [--latency-messages N (default 300)] [--runs R (default 3)] [--concurrency C (sidecar workers, default 1)] [--mode hop|gateway (default hop)]";

    public static BenchOptions? Parse(string[] args)
    {
        var messages = 2000;
        var latency = 300;
        var runs = 3;
        var concurrency = 1;
        var transport = "sqlite";
        var mode = HopMode;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--transport" && i + 1 < args.Length)
            {
                transport = args[++i];
                continue;
            }

            if (args[i] == "--mode" && i + 1 < args.Length && args[i + 1] is HopMode or GatewayMode)
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
                default: return null;
            }

            i++;
        }

        var root = FindRoot();
        var runtime = Environment.GetEnvironmentVariable("ASYA_PYTHON_RUNTIME") is { Length: > 0 } custom
            ? custom
            : Path.Combine(root, "runtime", "python", "asya_runtime.py");
        var sidecarDll = Path.Combine(root, "sidecar", "Asya.Sidecar.Host", "bin", "Release", "net10.0", "asya-sidecar.dll");
        return new BenchOptions(messages, latency, runs, concurrency, transport, runtime, "python3", sidecarDll, mode);
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
