using System.Diagnostics;
using Asya.Bench.Brokers;
using Asya.Components.Abstractions;
using Asya.Sidecar;

namespace Asya.Bench;

/// <summary>
/// One mesh hop: envelopes sent to actor <c>noop</c>'s queue, handled by a sidecar (in this process) and the Python
/// runtime (child process), and read back from the x-sink queue. Throughput from a burst; latency from a closed loop
/// (send one, wait for it at x-sink).
/// </summary>
internal static class MeshHopScenario
{
    public const string Name = "mesh hop (sidecar + runtime)";
    public const string CrossProcessName = "mesh hop, sidecar process";
    /// <param name="options">Sizes and paths.</param>
    /// <param name="broker">The broker whose component the sidecar and the bench load.</param>
    /// <param name="crossProcess">Run the sidecar as its own process (the built asya-sidecar.dll) instead of in this one.</param>
    /// <param name="gatewayUrl">When set, every envelope carries it as <c>x-asya-gateway-url</c>.</param>
    /// <param name="name">The scenario's name in the report (default: by <paramref name="crossProcess"/>).</param>
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(BenchOptions options, IBrokerBench broker, bool crossProcess = false, string? gatewayUrl = null, string? name = null)
    {
        // The burst is queued before the sidecar starts and timed from the first to the last arrival at x-sink, so
        // neither the bench's own sends nor the sidecar's start-up count against the hop.
        await using var mesh = await NoopActorMesh.CreateAsync(broker);
        var transport = mesh.Transport;
        var inputQueue = mesh.InputQueue;
        var sinkQueue = mesh.SinkQueue;
        for (var i = 0; i < options.Messages; i++)
        {
            await transport.SendAsync(inputQueue, new OutgoingMessage(BenchEnvelopes.Create("noop", i, gatewayUrl)), CancellationToken.None);
        }

        var flags = mesh.SidecarFlags(options, "off");
        using var stop = new CancellationTokenSource();
        using var process = crossProcess ? NoopActorMesh.StartSidecarProcess(options, flags) : null;
        var sidecar = process is not null
            ? process.WaitForExitAsync(CancellationToken.None)
            : Task.Run(() => SidecarProgram.RunAsync(flags, stop.Token));
        try
        {
            var burst = new ReceiveOptions(100, TimeSpan.FromSeconds(1));
            var received = 0;
            long first = 0;
            long last = 0;
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (received < options.Messages)
            {
                if (DateTime.UtcNow > deadline || sidecar.IsCompleted)
                {
                    throw new InvalidOperationException($"only {received} of {options.Messages} envelopes reached x-sink");
                }

                var batch = await transport.ReceiveAsync(sinkQueue, burst, CancellationToken.None);
                if (batch.Count == 0)
                {
                    continue;
                }

                last = Stopwatch.GetTimestamp();
                if (received == 0)
                {
                    first = last;
                }

                received += batch.Count;
                foreach (var message in batch)
                {
                    await transport.AckAsync(message, CancellationToken.None);
                }
            }

            // The first arrival opens the clock, so it is not counted as delivered within it.
            var rate = (options.Messages - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;

            var wait = new ReceiveOptions(1, TimeSpan.FromSeconds(1));
            for (var i = 0; i < 20; i++)
            {
                await RoundTripAsync(transport, inputQueue, sinkQueue, i, gatewayUrl, wait, sidecar, TimeSpan.FromSeconds(30));
            }

            var latencies = new List<double>(options.LatencyMessages);
            for (var i = 1; i <= options.LatencyMessages; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await RoundTripAsync(transport, inputQueue, sinkQueue, i, gatewayUrl, wait, sidecar, TimeSpan.FromSeconds(30));
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return [new ScenarioResult(name ?? (crossProcess ? CrossProcessName : Name), rate, latencies)];
        }
        finally
        {
            await stop.CancelAsync();
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }

            await sidecar;
        }
    }

    private static async Task RoundTripAsync(
        ITransport transport, string inputQueue, string sinkQueue, int index, string? gatewayUrl, ReceiveOptions wait, Task sidecar, TimeSpan timeout)
    {
        await transport.SendAsync(inputQueue, new OutgoingMessage(BenchEnvelopes.Create("noop", index, gatewayUrl)), CancellationToken.None);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var batch = await transport.ReceiveAsync(sinkQueue, wait, CancellationToken.None);
            if (batch.Count > 0)
            {
                await transport.AckAsync(batch[0], CancellationToken.None);
                return;
            }

            if (DateTime.UtcNow > deadline || sidecar.IsCompleted)
            {
                throw new InvalidOperationException($"envelope {index} did not reach x-sink (sidecar {(sidecar.IsCompleted ? "stopped" : "running")})");
            }
        }
    }
}
