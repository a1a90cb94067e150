using System.Diagnostics;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Asya.Bench.Brokers;

/// <summary>
/// RabbitMQ (<c>ASYA_TEST_RABBITMQ</c>). The raw loop is written with RabbitMQ.Client alone, in the mesh hop's shape:
/// a push consumer (prefetch 100) on a durable queue, then per message publish persistent to a second durable queue,
/// wait for the publisher confirm, and ack. The second queue is drained and acked meanwhile, as the mesh hop's x-sink is
/// by the bench: RabbitMQ confirms a persistent message once it is on disk or consumed, so this matters.
/// </summary>
internal sealed class RabbitMqBench : IBrokerBench
{
    private const string Variable = "ASYA_TEST_RABBITMQ";

    public string Name => "rabbitmq";

    public string RawLoopName => "raw rabbitmq consume-publish-ack";

    public string? AddressVariable => Variable;

    public BenchComponent Component(BenchFolder folder) => new("pubsub.rabbitmq", [("connectionString", Address())]);

    public async Task<ScenarioResult> RunRawLoopAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(Address()) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), cancellationToken);
        await using var consumer = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        // The drain is another client, as the bench's transport is to the sidecar's in the mesh hop.
        await using var drainConnection = await factory.CreateConnectionAsync(cancellationToken);
        await using var drain = await drainConnection.CreateChannelAsync(cancellationToken: cancellationToken);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var input = $"bench-raw-in-{suffix}";
        var output = $"bench-raw-out-{suffix}";
        await publisher.QueueDeclareAsync(input, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await publisher.QueueDeclareAsync(output, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        var persistent = new BasicProperties { Persistent = true };
        for (var i = 0; i < options.Messages; i++)
        {
            await publisher.BasicPublishAsync(string.Empty, input, true, persistent, BenchEnvelopes.Create("noop", i), cancellationToken);
        }

        var deliveries = Channel.CreateBounded<(ulong Tag, byte[] Body)>(100);
        await consumer.BasicQosAsync(0, 100, false, cancellationToken);
        var push = new AsyncEventingBasicConsumer(consumer);
        push.ReceivedAsync += (_, args) => deliveries.Writer.WriteAsync((args.DeliveryTag, args.Body.ToArray()), args.CancellationToken).AsTask();
        await consumer.BasicConsumeAsync(input, autoAck: false, consumer: push, cancellationToken: cancellationToken);
        await drain.BasicQosAsync(0, 100, false, cancellationToken);
        var sink = new AsyncEventingBasicConsumer(drain);
        sink.ReceivedAsync += (_, args) => drain.BasicAckAsync(args.DeliveryTag, false, args.CancellationToken).AsTask();
        await drain.BasicConsumeAsync(output, autoAck: false, consumer: sink, cancellationToken: cancellationToken);

        var latencies = new List<double>(options.Messages);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < options.Messages; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var (tag, body) = await deliveries.Reader.ReadAsync(cancellationToken);
            await publisher.BasicPublishAsync(string.Empty, output, true, persistent, body, cancellationToken);
            await consumer.BasicAckAsync(tag, false, cancellationToken);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var result = new ScenarioResult(RawLoopName, options.Messages / total.Elapsed.TotalSeconds, latencies);
        await publisher.QueueDeleteAsync(input, cancellationToken: cancellationToken);
        await publisher.QueueDeleteAsync(output, cancellationToken: cancellationToken);
        return result;
    }

    private static string Address() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException($"{Variable} is not set");
}
