using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Asya.Bench.Gateway;

/// <summary>
/// <c>POST /api/v1/mesh</c> throughput over HTTP: --posts submits by --concurrency callers to a gateway with no
/// sidecars (envelopes wait in the queue), on a fresh task store per run (<see cref="BenchTaskStore"/>).
/// </summary>
internal static class PostThroughputScenario
{
    public static async Task<double> RunAsync(string store, GatewayBenchOptions options)
    {
        await using var tasks = await BenchTaskStore.CreateAsync(store);
        await using var mesh = await BenchMesh.StartAsync(withActors: false, tasks.GatewayArgs);
        var body = new JsonObject { ["route"] = new JsonArray([.. BenchMesh.Pipeline]), ["payload"] = new JsonObject { ["text"] = "The invoice total is 42 euros." } };
        for (var i = 0; i < 50; i++)
        {
            await TaskEvents.SubmitAsync(mesh.Api, body);
        }

        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < options.Posts)
            {
                await TaskEvents.SubmitAsync(mesh.Api, body);
            }
        })));
        return options.Posts / watch.Elapsed.TotalSeconds;
    }
}
