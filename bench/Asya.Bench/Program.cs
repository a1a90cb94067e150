using Asya.Bench;
using Asya.Bench.Brokers;

// One mesh hop (sidecar + Python runtime, no-op handler) on the chosen broker, beside two baselines measured in the same
// run: the raw runtime round trip over its Unix socket, and the broker's raw consume → publish → ack loop.
var options = BenchOptions.Parse(args);
var broker = options is null ? null : BrokerBenches.Find(options.Transport);
if (options is null || broker is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

if (broker.AddressVariable is { } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
{
    Console.Error.WriteLine($"--transport {broker.Name} needs {variable}: start the broker with `eval \"$(deploy/local/services up {broker.Name})\"`");
    return 2;
}

var results = new List<ScenarioResult>();
if (options.Mode == BenchOptions.GatewayMode)
{
    for (var run = 1; run <= options.Runs; run++)
    {
        Console.Error.WriteLine($"run {run}/{options.Runs} on {broker.Name}: gateway mode");
        results.AddRange(await GatewayHopScenario.RunAsync(options, broker));
    }

    Report.Print(results, broker.RawLoopName, Console.Out);
    return 0;
}

for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"run {run}/{options.Runs} on {broker.Name}");
    results.Add(await RuntimeSocketScenario.RunAsync(options));
    results.Add(await broker.RunRawLoopAsync(options, CancellationToken.None));
    results.AddRange(await MeshHopScenario.RunAsync(options, broker));
    if (File.Exists(options.SidecarDll))
    {
        results.AddRange(await MeshHopScenario.RunAsync(options, broker, crossProcess: true));
    }
}

if (!File.Exists(options.SidecarDll))
{
    Console.Error.WriteLine($"cross-process mesh hop skipped: build the sidecar host first ({options.SidecarDll} not found)");
}

Report.Print(results, broker.RawLoopName, Console.Out);
return 0;
