using System.Diagnostics;
using Asya.Components.Gcp.PubSubV1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Asya.Bench.Brokers;

/// <summary>
/// The Pub/Sub emulator (<c>ASYA_TEST_PUBSUB</c>). Its raw loop calls the generated google.pubsub.v1 stubs directly:
/// unary Pull with returnImmediately (what the transport uses on the emulator) → Publish to a second topic → Acknowledge.
/// </summary>
internal sealed class PubSubBench : IBrokerBench
{
    private const string Project = "asya-bench";

    public string Name => "pubsub";

    public string RawLoopName => "raw pubsub pull-publish-ack";

    public string? AddressVariable => "ASYA_TEST_PUBSUB";

    private static string Endpoint => Environment.GetEnvironmentVariable("ASYA_TEST_PUBSUB") ?? "127.0.0.1:8085";

    public BenchComponent Component(BenchFolder folder) => new("pubsub.gcp.pubsub", [("projectId", Project), ("endpoint", Endpoint)]);

    public async Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress("http://" + Endpoint, new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure });
        var publisher = new Publisher.PublisherClient(channel);
        var subscriber = new Subscriber.SubscriberClient(channel);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var input = await CreateQueueAsync(publisher, subscriber, $"raw-in-{suffix}", cancellationToken);
        var output = await CreateQueueAsync(publisher, subscriber, $"raw-out-{suffix}", cancellationToken);
        for (var i = 0; i < options.Messages; i++)
        {
            await publisher.PublishAsync(
                new PublishRequest { Topic = input.Topic, Messages = { new PubsubMessage { Data = ByteString.CopyFrom(BenchEnvelopes.Create("noop", i)) } } },
                cancellationToken: cancellationToken);
        }

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < options.Messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            ReceivedMessage? received = null;
            while (received is null)
            {
                var response = await subscriber.PullAsync(
                    new PullRequest { Subscription = input.Subscription, ReturnImmediately = true, MaxMessages = 1 }, cancellationToken: cancellationToken);
                received = response.ReceivedMessages.FirstOrDefault();
            }

            await publisher.PublishAsync(
                new PublishRequest { Topic = output.Topic, Messages = { new PubsubMessage { Data = received.Message.Data } } },
                cancellationToken: cancellationToken);
            await subscriber.AcknowledgeAsync(
                new AcknowledgeRequest { Subscription = input.Subscription, AckIds = { received.AckId } }, cancellationToken: cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var result = new ScenarioResult(RawLoopName, options.Messages / total.Elapsed.TotalSeconds, latencies);
        foreach (var (topic, subscription) in new[] { input, output })
        {
            await subscriber.DeleteSubscriptionAsync(new DeleteSubscriptionRequest { Subscription = subscription }, cancellationToken: cancellationToken);
            await publisher.DeleteTopicAsync(new DeleteTopicRequest { Topic = topic }, cancellationToken: cancellationToken);
        }

        return result;
    }

    private static async Task<(string Topic, string Subscription)> CreateQueueAsync(
        Publisher.PublisherClient publisher, Subscriber.SubscriberClient subscriber, string id, CancellationToken cancellationToken)
    {
        var topic = $"projects/{Project}/topics/{id}";
        var subscription = $"projects/{Project}/subscriptions/{id}";
        await publisher.CreateTopicAsync(new Topic { Name = topic }, cancellationToken: cancellationToken);
        await subscriber.CreateSubscriptionAsync(new Subscription { Name = subscription, Topic = topic, AckDeadlineSeconds = 60 }, cancellationToken: cancellationToken);
        return (topic, subscription);
    }
}
