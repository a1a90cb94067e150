using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Asya.Mesh.Client;
using Asya.Runtime.Protocol;

namespace Asya.Bench.Gateway;

/// <summary>
/// The 3-actor no-op pipeline, one task at a time: through the gateway (POST, then its SSE stream: latency to the first
/// <c>status</c> event and to the terminal one), and the same envelope sent the <c>asya send</c> way (the mesh client)
/// with the result store polled every millisecond until x-sink has it (the CLI polls every 100 ms; 1 ms is the best
/// that path can do).
/// </summary>
internal static class SubmitLatencyScenario
{
    private const int Warmup = 20;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    public sealed record Result(IReadOnlyList<double> FirstStatusMs, IReadOnlyList<double> GatewayTerminalMs, IReadOnlyList<double> SendPollTerminalMs);

    public static async Task<Result> RunAsync(BenchMesh mesh, int tasks)
    {
        await using var client = await mesh.ConnectAsync();
        var first = new List<double>(tasks);
        var terminal = new List<double>(tasks);
        var polled = new List<double>(tasks);
        for (var i = -Warmup; i < tasks; i++)
        {
            var (f, t) = await ThroughGatewayAsync(mesh, i);
            var p = await SendAndPollAsync(mesh, client, i);
            if (i >= 0)
            {
                first.Add(f);
                terminal.Add(t);
                polled.Add(p);
            }
        }

        return new Result(first, terminal, polled);
    }

    private static JsonObject Payload(int i) => new() { ["i"] = i, ["text"] = "the quick brown fox jumps over the lazy dog" };

    private static async Task<(double First, double Terminal)> ThroughGatewayAsync(BenchMesh mesh, int i)
    {
        var start = Stopwatch.GetTimestamp();
        var id = await TaskEvents.SubmitAsync(mesh.Api, new JsonObject { ["route"] = new JsonArray([.. BenchMesh.Pipeline]), ["payload"] = Payload(i) });
        var firstStatus = double.NaN;
        await TaskEvents.FollowAsync(mesh.Api, id, sse =>
        {
            if (sse.Event == "status" && double.IsNaN(firstStatus))
            {
                firstStatus = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        });
        return (firstStatus, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private static async Task<double> SendAndPollAsync(BenchMesh mesh, IMeshClient client, int i)
    {
        var start = Stopwatch.GetTimestamp();
        var payload = JsonSerializer.SerializeToElement(Payload(i));
        var envelope = EnvelopeFactory.Create(BenchMesh.Pipeline, payload, TimeProvider.System);
        await client.SendAsync(ActorNames.Queue(mesh.Namespace, BenchMesh.Pipeline[0]), envelope.ToUtf8Bytes(), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        FinishedEnvelope? finished;
        while ((finished = await client.FindAsync(envelope.Id!, CancellationToken.None)) is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"envelope {envelope.Id} not in the result store within a minute");
            }

            await Task.Delay(Poll);
        }

        return finished.Succeeded
            ? Stopwatch.GetElapsedTime(start).TotalMilliseconds
            : throw new InvalidOperationException($"envelope {envelope.Id} ended {finished.Describe()}");
    }
}
