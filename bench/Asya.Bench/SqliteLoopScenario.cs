using System.Diagnostics;
using Asya.Components.Abstractions;

namespace Asya.Bench;

/// <summary>Baseline: the raw transport loop a hop performs without a runtime: receive → send to the next queue → ack.</summary>
internal static class SqliteLoopScenario
{
    public const string Name = "raw sqlite consume-publish-ack";

    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        using var folder = new BenchFolder();
        var (transport, services) = await BenchTransport.CreateSqliteAsync(folder.DatabasePath);
        await using var _ = services;
        await using var __ = transport;
        const string input = "bench-in";
        const string output = "bench-out";
        var receive = new ReceiveOptions(1, TimeSpan.FromSeconds(5));
        for (var i = 0; i < options.Messages; i++)
        {
            await transport.SendAsync(input, new OutgoingMessage(BenchEnvelopes.Create("noop", i)), CancellationToken.None);
        }

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < options.Messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var batch = await transport.ReceiveAsync(input, receive, CancellationToken.None);
            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"message {i} of {options.Messages} not received");
            }

            await transport.SendAsync(output, new OutgoingMessage(batch[0].Body), CancellationToken.None);
            await transport.AckAsync(batch[0], CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return new ScenarioResult(Name, options.Messages / total.Elapsed.TotalSeconds, latencies);
    }
}
