using Asya.Bench;

// One mesh hop (sidecar + Python runtime on the embedded SQLite transport, no-op handler) beside two baselines measured
// in the same run: the raw runtime round trip over its Unix socket, and the raw SQLite consume → publish → ack loop.
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var results = new List<ScenarioResult>();
for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"run {run}/{options.Runs}");
    results.Add(await RuntimeSocketScenario.RunAsync(options));
    results.Add(await SqliteLoopScenario.RunAsync(options));
    results.AddRange(await MeshHopScenario.RunAsync(options));
    if (File.Exists(options.SidecarDll))
    {
        results.AddRange(await MeshHopScenario.RunAsync(options, crossProcess: true));
    }
}

if (!File.Exists(options.SidecarDll))
{
    Console.Error.WriteLine($"cross-process mesh hop skipped: build the sidecar host first ({options.SidecarDll} not found)");
}

Report.Print(results, Console.Out);
return 0;
