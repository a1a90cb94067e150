using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Asya.Bench.Gateway;

/// <summary>
/// FLY through the gateway: a handler yields events stamped with the wall clock at the yield, and one SSE client of the
/// task measures each event's delivery latency (same machine, same clock); paced (2 ms apart, so each event is
/// measured alone, not behind a queue), then an unpaced burst of one stream for its delivered rate (first to last FLY
/// arrival) and how many of the burst arrived (a client or sidecar that falls behind drops the oldest FLY events).
/// </summary>
internal static class FlyScenario
{
    private const int PacedEvents = 200;

    public sealed record Result(IReadOnlyList<double> LatencyMs, double EventsPerSecond, int Delivered, int Sent);

    public static async Task<Result> RunAsync(BenchMesh mesh, int burst)
    {
        var (latencies, _, _) = await StreamAsync(mesh, PacedEvents, paceMs: 2);
        var (_, rate, delivered) = await StreamAsync(mesh, burst, paceMs: 0);
        return new Result(latencies, rate, delivered, burst);
    }

    private static async Task<(List<double> Latencies, double Rate, int Delivered)> StreamAsync(BenchMesh mesh, int events, int paceMs)
    {
        var id = await TaskEvents.SubmitAsync(mesh.Api, new JsonObject
        {
            ["actor"] = BenchMesh.FlyActor,
            ["payload"] = new JsonObject { ["n"] = events, ["pace_ms"] = paceMs },
        });
        var latencies = new List<double>(events);
        long first = 0, last = 0;
        await TaskEvents.FollowAsync(mesh.Api, id, sse =>
        {
            if (sse.Event != "fly")
            {
                return;
            }

            var now = DateTime.UtcNow;
            last = Stopwatch.GetTimestamp();
            first = first == 0 ? last : first;
            var yielded = DateTime.UnixEpoch.AddTicks(JsonNode.Parse(sse.Data)!["t"]!.GetValue<long>() / 100);
            latencies.Add((now - yielded).TotalMilliseconds);
        });
        var rate = latencies.Count > 1 ? (latencies.Count - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds : 0;
        return (latencies, rate, latencies.Count);
    }
}
