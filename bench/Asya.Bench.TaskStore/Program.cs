using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Asya.Bench.TaskStore;
using Asya.Gateway.Tasks;

// Create-task throughput of the gateway's task stores: --tasks creates (the work of POST /api/v1/mesh on the store),
// --concurrency callers at once, --runs repetitions on a fresh store each; prints the median rate per store.
var options = TaskStoreBenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(TaskStoreBenchOptions.Usage);
    return 2;
}

foreach (var kind in options.Stores)
{
    var rates = new List<double>();
    for (var run = 1; run <= options.Runs; run++)
    {
        await using var bench = await BenchStores.OpenAsync(kind);
        rates.Add(await CreateRateAsync(bench.Store, options));
        Console.Error.WriteLine($"{kind} run {run}/{options.Runs}: {rates[^1]:F0} tasks/s");
    }

    rates.Sort();
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{kind,-10} create  {rates[rates.Count / 2],8:F0} tasks/s  (median of {options.Runs}, {options.Tasks} tasks, concurrency {options.Concurrency})"));
}

return 0;

static async Task<double> CreateRateAsync(ITaskStore store, TaskStoreBenchOptions options)
{
    var payload = JsonNode.Parse("""{"text":"The invoice total is 42 euros."}""");
    var route = Asya.Runtime.Protocol.Route.Start(["validate", "judge", "store"]);
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) < options.Tasks)
        {
            await store.CreateAsync(
                new NewTask { Id = Guid.NewGuid().ToString(), Flow = "bench", Route = route, Payload = payload, Timeout = TimeSpan.FromMinutes(5) },
                CancellationToken.None);
        }
    })));
    return options.Tasks / stopwatch.Elapsed.TotalSeconds;
}
