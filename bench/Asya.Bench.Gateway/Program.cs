using System.Globalization;
using Asya.Bench.Gateway;

// The gateway's three measurements, each run --runs times per task store (medians printed, with the load average of each
// run): submit → first and terminal SSE event against asya send + polling (same pipeline, same run), FLY delivery
// latency and the rate of one stream, and POST /api/v1/mesh throughput.
var options = GatewayBenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(GatewayBenchOptions.Usage);
    return 2;
}

var stores = options.Stores.Where(s => s == "sqlite" || BenchTaskStore.PostgresConfigured).ToList();
var latency = stores.ToDictionary(s => s, _ => new List<(SubmitLatencyScenario.Result Result, string Load)>());
var fly = stores.ToDictionary(s => s, _ => new List<(FlyScenario.Result Result, string Load)>());
foreach (var store in stores)
{
    for (var run = 1; run <= options.Runs; run++)
    {
        Console.Error.WriteLine($"{store} run {run}/{options.Runs}: 3-actor pipeline and FLY (load {Stats.LoadAverage()})");
        await using var tasks = await BenchTaskStore.CreateAsync(store);
        await using var mesh = await BenchMesh.StartAsync(withActors: true, tasks.GatewayArgs);
        var load = Stats.LoadAverage();
        latency[store].Add((await SubmitLatencyScenario.RunAsync(mesh, options.Tasks), load));
        fly[store].Add((await FlyScenario.RunAsync(mesh, options.Fly), Stats.LoadAverage()));
    }
}

var posts = new Dictionary<string, List<(double Rate, string Load)>>();
foreach (var store in stores)
{
    for (var run = 1; run <= options.Runs; run++)
    {
        var load = Stats.LoadAverage();
        var rate = await PostThroughputScenario.RunAsync(store, options);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"POST {store} run {run}/{options.Runs}: {rate:F0} tasks/s (load {load})"));
        (posts.TryGetValue(store, out var list) ? list : posts[store] = []).Add((rate, load));
    }
}

Print(Console.Out);
return 0;

void Print(TextWriter output)
{
    string Loads<T>(IEnumerable<(T, string Load)> runs) => string.Join(' ', runs.Select(r => r.Load));

    foreach (var store in stores)
    {
        PrintStore(output, store, latency[store], fly[store]);
    }

    output.WriteLine($"POST /api/v1/mesh, {options.Posts} tasks, concurrency {options.Concurrency}, medians of {options.Runs} runs");
    foreach (var (store, runs) in posts)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{store,-10} {Stats.Median(runs.Select(r => r.Rate)),8:F0} tasks/s   per run {string.Join(' ', runs.Select(r => r.Rate.ToString("F0", CultureInfo.InvariantCulture)))} (load {Loads(runs)})"));
    }
}

void PrintStore(TextWriter output, string store, List<(SubmitLatencyScenario.Result Result, string Load)> latencyRuns, List<(FlyScenario.Result Result, string Load)> flyRuns)
{
    string Ms(IEnumerable<double> values) => string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(values):F2}");
    string Loads<T>(IEnumerable<(T, string Load)> runs) => string.Join(' ', runs.Select(r => r.Load));

    output.WriteLine($"[{store} task store] 3-actor no-op pipeline, {options.Tasks} tasks one at a time, medians of {options.Runs} runs (load {Loads(latencyRuns)})");
    output.WriteLine("path                                   p50 ms   p99 ms");
    foreach (var (name, pick) in new (string, Func<SubmitLatencyScenario.Result, IReadOnlyList<double>>)[]
    {
        ("gateway: submit -> first status event", r => r.FirstStatusMs),
        ("gateway: submit -> terminal event", r => r.GatewayTerminalMs),
        ("asya send + poll (1 ms) -> x-sink", r => r.SendPollTerminalMs),
    })
    {
        output.WriteLine($"{name,-38} {Ms(latencyRuns.Select(l => Stats.Percentile(pick(l.Result), 50))),6}   {Ms(latencyRuns.Select(l => Stats.Percentile(pick(l.Result), 99))),6}");
    }

    var added = Stats.Median(latencyRuns.Select(l => Stats.Median(l.Result.GatewayTerminalMs) - Stats.Median(l.Result.SendPollTerminalMs)));
    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gateway adds (terminal p50 - send+poll p50, median of runs): {added:F2} ms (goal <= 2 ms)"));

    output.WriteLine();
    output.WriteLine($"[{store} task store] FLY, one stream, medians of {options.Runs} runs (load {Loads(flyRuns)})");
    output.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"yield -> SSE client p50 {Ms(flyRuns.Select(f => Stats.Percentile(f.Result.LatencyMs, 50)))} ms, p99 {Ms(flyRuns.Select(f => Stats.Percentile(f.Result.LatencyMs, 99)))} ms (goal p50 <= 5 ms)"));
    output.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"burst of {options.Fly}: {Stats.Median(flyRuns.Select(f => f.Result.EventsPerSecond)):F0} events/s (goal >= 5,000), delivered per run {string.Join(' ', flyRuns.Select(f => f.Result.Delivered))}"));
    output.WriteLine();
}
