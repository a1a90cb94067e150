using Asya.Bench;
using Asya.Bench.Brokers;

// One mesh hop (sidecar + Python runtime, no-op handler) on the chosen broker, beside two baselines measured in the same
// run: the raw runtime round trip over its Unix socket, and the broker's raw consume → publish → ack loop. --mode
// footprint: what one sidecar process costs (start → ready, RSS) on each transport.
var options = BenchOptions.Parse(args);
var brokers = options?.TransportNames.Select(BrokerBenches.Find).ToList();
if (options is null || brokers is null || brokers.Count == 0 || brokers.Contains(null) || (options.Mode != BenchOptions.FootprintMode && brokers.Count > 1))
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

foreach (var named in brokers)
{
    if (named!.AddressVariable is { } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
    {
        Console.Error.WriteLine($"--transport {named.Name} needs {variable}: start the broker with `eval \"$(deploy/local/services up {named.Name})\"`");
        return 2;
    }
}

if (options.Mode == BenchOptions.FootprintMode)
{
    var footprints = new List<FootprintResult>();
    for (var run = 1; run <= options.Runs; run++)
    {
        foreach (var named in brokers)
        {
            Console.Error.WriteLine($"run {run}/{options.Runs} on {named!.Name}: footprint of {options.SidecarDll}");
            footprints.Add(await FootprintScenario.RunAsync(options, named));
        }
    }

    FootprintResult.Print(footprints, options.FootprintMessages, Console.Out);
    return 0;
}

var broker = brokers[0]!;
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
