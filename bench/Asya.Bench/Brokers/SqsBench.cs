using System.Diagnostics;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Asya.Bench.Brokers;

/// <summary>
/// SQS (the local emulator at <c>ASYA_TEST_SQS</c>): the raw loop is written on <see cref="AmazonSQSClient"/> alone —
/// ReceiveMessage, SendMessage to the next queue, DeleteMessage — one message at a time, as a sequential hop does.
/// </summary>
internal sealed class SqsBench : IBrokerBench
{
    private const string Region = "us-east-1";
    private const string Key = "bench";

    public string Name => "sqs";

    public string RawLoopName => "raw sqs receive-send-delete";

    // SQS's message size limit (text plus attributes).
    public int MaxBodyBytes => 256 * 1024;

    public string? AddressVariable => "ASYA_TEST_SQS";

    private static string Endpoint => Environment.GetEnvironmentVariable("ASYA_TEST_SQS")!;

    public BenchComponent Component(BenchFolder folder) => new("pubsub.aws.snssqs",
    [
        ("endpoint", Endpoint), ("region", Region), ("accessKey", Key), ("secretKey", Key),
        ("messageWaitTimeSeconds", "1"), ("messageVisibilityTimeout", "30"),
    ]);

    public async Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        using var client = new AmazonSQSClient(new BasicAWSCredentials(Key, Key), new AmazonSQSConfig { ServiceURL = Endpoint, AuthenticationRegion = Region });
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var input = (await client.CreateQueueAsync($"bench-raw-in-{suffix}", cancellationToken)).QueueUrl;
        var output = (await client.CreateQueueAsync($"bench-raw-out-{suffix}", cancellationToken)).QueueUrl;
        try
        {
            for (var i = 0; i < options.Messages; i += 10)
            {
                var entries = Enumerable.Range(i, Math.Min(10, options.Messages - i))
                    .Select(n => new SendMessageBatchRequestEntry($"m{n}", System.Text.Encoding.UTF8.GetString(BenchEnvelopes.Create("noop", n))))
                    .ToList();
                await client.SendMessageBatchAsync(input, entries, cancellationToken);
            }

            var receive = new ReceiveMessageRequest { QueueUrl = input, MaxNumberOfMessages = 1, WaitTimeSeconds = 5, VisibilityTimeout = 30 };
            var latencies = new List<double>(options.Messages);
            var total = Stopwatch.StartNew();
            for (var i = 0; i < options.Messages; i++)
            {
                var start = Stopwatch.GetTimestamp();
                var received = await client.ReceiveMessageAsync(receive, cancellationToken);
                if (received.Messages is not [var message, ..])
                {
                    throw new InvalidOperationException($"message {i} of {options.Messages} not received");
                }

                await client.SendMessageAsync(output, message.Body, cancellationToken);
                await client.DeleteMessageAsync(input, message.ReceiptHandle, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return new ScenarioResult(RawLoopName, options.Messages / total.Elapsed.TotalSeconds, latencies);
        }
        finally
        {
            await client.DeleteQueueAsync(input, CancellationToken.None);
            await client.DeleteQueueAsync(output, CancellationToken.None);
        }
    }
}
