using System.Diagnostics;
using Asya.Components.Abstractions;

namespace Asya.Bench;

/// <summary>The loop a hop performs without a runtime, through an <see cref="ITransport"/>: receive → send on → ack.</summary>
internal static class TransportLoop
{
    public static async Task<ScenarioResult> RunAsync(string name, ITransport transport, BenchOptions options, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench-in-{suffix}";
        var output = $"bench-out-{suffix}";
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec(input), cancellationToken);
            await admin.EnsureQueueAsync(new QueueSpec(output), cancellationToken);
        }

        var receive = new ReceiveOptions(1, TimeSpan.FromSeconds(5));
        for (var i = 0; i < options.Messages; i++)
        {
            await transport.SendAsync(input, new OutgoingMessage(BenchEnvelopes.Create("noop", i)), cancellationToken);
        }

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < options.Messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var batch = await transport.ReceiveAsync(input, receive, cancellationToken);
            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"message {i} of {options.Messages} not received");
            }

            await transport.SendAsync(output, new OutgoingMessage(batch[0].Body), cancellationToken);
            await transport.AckAsync(batch[0], cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var result = new ScenarioResult(name, options.Messages / total.Elapsed.TotalSeconds, latencies);
        if (transport is IQueueAdmin cleanup)
        {
            await cleanup.DeleteQueueAsync(input, cancellationToken);
            await cleanup.DeleteQueueAsync(output, cancellationToken);
        }

        return result;
    }
}
