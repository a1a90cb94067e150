using System.Diagnostics;
using System.Net.Http.Headers;

namespace Asya.Bench;

/// <summary>Baseline: POST /invoke to the Python runtime over its Unix socket, one request at a time, keep-alive.</summary>
internal static class RuntimeSocketScenario
{
    public const string Name = "raw runtime socket round trip";

    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        using var folder = new BenchFolder();
        await using var runtime = await PythonRuntimeProcess.StartAsync(options, folder);
        using var client = runtime.CreateClient();
        var body = BenchEnvelopes.Create("noop", 0);

        async Task InvokeAsync()
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri("/invoke", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        for (var i = 0; i < 50; i++)
        {
            await InvokeAsync();
        }

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < options.Messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await InvokeAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return new ScenarioResult(Name, options.Messages / total.Elapsed.TotalSeconds, latencies);
    }
}
