using System.Diagnostics;
using StackExchange.Redis;

namespace Asya.Bench.Brokers;

/// <summary>
/// Redis Streams. The raw loop is what a hand-written consumer does with StackExchange.Redis: XREADGROUP one entry,
/// XADD it to the next stream, XACK + XDEL the original; the mesh hop runs through <c>pubsub.redis</c>.
/// </summary>
internal sealed class RedisBench : IBrokerBench
{
    private const string Group = "bench";

    public string Name => "redis";

    public string RawLoopName => "raw redis consume-publish-ack";

    public string? AddressVariable => "ASYA_TEST_REDIS";

    private static string Address => Environment.GetEnvironmentVariable("ASYA_TEST_REDIS") ?? "127.0.0.1:6379";

    public BenchComponent Component(BenchFolder folder) => new("pubsub.redis", [("redisHost", Address)]);

    public async Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Address);
        var db = connection.GetDatabase();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench-raw-in-{suffix}";
        var output = $"bench-raw-out-{suffix}";
        await db.StreamCreateConsumerGroupAsync(input, Group, StreamPosition.Beginning, createStream: true);
        for (var i = 0; i < options.Messages; i++)
        {
            await db.StreamAddAsync(input, "body", BenchEnvelopes.Create("noop", i));
        }

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < options.Messages; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var entries = await db.StreamReadGroupAsync(input, Group, "raw", StreamPosition.NewMessages, count: 1);
                if (entries.Length == 0)
                {
                    throw new InvalidOperationException($"message {i} of {options.Messages} not received");
                }

                var entry = entries[0];
                await db.StreamAddAsync(output, "body", entry["body"]);
                await db.StreamAcknowledgeAsync(input, Group, entry.Id);
                await db.StreamDeleteAsync(input, [entry.Id]);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return new ScenarioResult(RawLoopName, options.Messages / total.Elapsed.TotalSeconds, latencies);
        }
        finally
        {
            await db.KeyDeleteAsync([input, output]);
        }
    }
}
