using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Asya.Components.RabbitMQ;

/// <summary>
/// One push consumer on one queue, on a channel of its own (its QoS window is the prefetch), feeding a bounded buffer
/// that receive calls drain. The broker never sends more than the prefetch unacked, so the buffer never blocks it for long.
/// </summary>
internal sealed class QueueConsumer : IAsyncDisposable
{
    private readonly Channel<RabbitMqDelivery> _buffer;
    private readonly Func<long> _generation;
    private volatile bool _dead;

    private QueueConsumer(string queue, IChannel channel, int capacity, Func<long> generation)
    {
        Queue = queue;
        Channel = channel;
        _generation = generation;
        _buffer = System.Threading.Channels.Channel.CreateBounded<RabbitMqDelivery>(
            new BoundedChannelOptions(capacity) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public string Queue { get; }

    public IChannel Channel { get; }

    public ChannelReader<RabbitMqDelivery> Reader => _buffer.Reader;

    public string ConsumerTag { get; private set; } = string.Empty;

    /// <summary>The broker cancelled the consumer (queue deleted) or closed its channel for good; a new one is needed.</summary>
    public bool Dead => _dead;

    public static async Task<QueueConsumer> StartAsync(
        IConnection connection, string queue, ushort prefetch, Func<long> generation, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await channel.BasicQosAsync(0, prefetch, false, cancellationToken).ConfigureAwait(false);
            var consumer = new QueueConsumer(queue, channel, prefetch, generation);
            var push = new AsyncEventingBasicConsumer(channel);
            push.ReceivedAsync += consumer.OnReceivedAsync;
            push.UnregisteredAsync += consumer.OnUnregisteredAsync;
            channel.ChannelShutdownAsync += consumer.OnChannelShutdownAsync;
            consumer.ConsumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer: push, cancellationToken: cancellationToken).ConfigureAwait(false);
            return consumer;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _dead = true;
        _buffer.Writer.TryComplete();
        try
        {
            // Closing the channel hands every unacked delivery, buffered or held, back to the broker.
            await Channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (RabbitMqTransport.IsConnectionFault(ex))
        {
        }

        await Channel.DisposeAsync().ConfigureAwait(false);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs args)
    {
        // The body buffer belongs to the client and is reused once this handler returns.
        var delivery = new RabbitMqDelivery(this, args.DeliveryTag, args.Redelivered, args.BasicProperties, args.Body.ToArray(), _generation());
        try
        {
            await _buffer.Writer.WriteAsync(delivery, args.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            // Disposed: the channel closes and the broker takes the delivery back.
        }
    }

    private Task OnUnregisteredAsync(object sender, ConsumerEventArgs args)
    {
        _dead = true;
        return Task.CompletedTask;
    }

    private Task OnChannelShutdownAsync(object sender, ShutdownEventArgs args)
    {
        // A channel-level error (e.g. the queue was deleted) is final; a connection loss is recovered by the client.
        if (args.Initiator == ShutdownInitiator.Peer && args.ReplyCode is 403 or 404 or 405 or 406)
        {
            _dead = true;
        }

        return Task.CompletedTask;
    }
}
