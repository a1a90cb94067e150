using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

// Consumer start-up tasks are shared by every receive call on a queue and the lease loop is awaited on dispose: these
// tasks are awaited outside the context that started them by design (there is no synchronization context here).
#pragma warning disable VSTHRD003

namespace Asya.Components.RabbitMQ;

/// <summary>
/// <c>pubsub.rabbitmq</c> as a mesh transport: one durable queue per actor, published through the default exchange
/// with routing key = queue name, persistent messages with publisher confirms, a push consumer per queue feeding a
/// bounded buffer (the prefetch window), retry-delay queues for delayed sends and nacks.
/// <para>
/// Delivery count: classic queues do not count, so a nack republishes the message with <c>x-asya-delivery-count</c> =
/// deliveries so far and acks the original. A delivery the broker flags as redelivered (its consumer died without
/// acking, or the broker restarted) is counted the same way before anyone sees it: republished with the count plus one,
/// then acked. So every delivery the caller sees has count = header + 1, crashes included.
/// </para>
/// <para>
/// Leases: RabbitMQ has no visibility timeout; an unacked message returns when its channel closes, or when the broker's
/// <c>consumer_timeout</c> (30 min by default) closes a channel that held a message too long. On top of that this
/// transport keeps an in-process lease per received message (the receive call's visibility timeout, else the
/// <c>visibilityTimeout</c> key; 0 = none) and gives a message back when its lease runs out, so a stuck handler in a
/// live process behaves as with SQS. <see cref="ExtendLeaseAsync"/> moves that deadline.
/// </para>
/// </summary>
internal sealed class RabbitMqTransport(TimeProvider timeProvider, ILogger<RabbitMqTransport> logger)
    : ITransport, IQueueAdmin, IQueueDepthSource, ILeaseExtender
{
    public const string DeliveryCountHeader = "x-asya-delivery-count";

    private static readonly TimeSpan LeaseSweep = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private readonly ConcurrentDictionary<string, Task<QueueConsumer>> _consumers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RabbitMqMessage, byte> _inFlight = new(ReferenceEqualityComparer.Instance);
    private readonly DelayQueueRegistry _delayQueues = new();
    private readonly SemaphoreSlim _adminLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private RabbitMqSettings _settings = new() { Endpoint = string.Empty };
    private string _name = "pubsub.rabbitmq";
    private IConnection? _connection;
    private IChannel? _publishChannel;
    private IChannel? _adminChannel;
    private ManagementDepthClient? _management;
    private Task _leaseLoop = Task.CompletedTask;
    private long _generation;
    private readonly Lock _consumersLock = new();

    private IConnection Connection => _connection ?? throw new InvalidOperationException($"RabbitMQ transport '{_name}' is not initialised");

    internal RabbitMqSettings Settings => _settings;

    /// <summary>
    /// The largest body a consumer of this transport accepts (RabbitMQ.Client's <c>MaxInboundMessageBodySize</c>, 64 MiB);
    /// a bigger message would be taken by the broker (its own limit is 128 MiB) and then close every consumer's
    /// connection it reaches, so it is refused at send.
    /// </summary>
    internal long MaxMessageBytes { get; private set; } = ConnectionFactory.DefaultMaxInboundMessageBodySize;

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _name = spec.Name;
        var (settings, factory, password) = RabbitMqSettingsReader.Read(new MetadataReader(spec), logger);
        _settings = settings;
        MaxMessageBytes = factory.MaxInboundMessageBodySize;
        try
        {
            _connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or IOException or System.Net.Sockets.SocketException or OperationInterruptedException or TimeoutException)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot connect to RabbitMQ at {settings.Endpoint}: {UriMasking.Scrub(Reason(ex), password)}");
        }

        _connection.ConnectionShutdownAsync += OnConnectionShutdownAsync;
        _connection.RecoverySucceededAsync += OnRecoveredAsync;
        _publishChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(settings.PublisherConfirm, settings.PublisherConfirm), cancellationToken).ConfigureAwait(false);
        if (settings.ManagementUrl is { } url)
        {
            _management = new ManagementDepthClient(url, settings.ManagementUser ?? string.Empty, settings.ManagementPassword ?? string.Empty, factory.VirtualHost);
        }

        _leaseLoop = Task.Run(() => ExpireLeasesAsync(_stopping.Token), CancellationToken.None);
        logger.Connected(_name, settings.Endpoint, settings.PublisherConfirm, settings.Persistent, settings.Prefetch);
    }

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var consumer = await ConsumerAsync(queue, cancellationToken).ConfigureAwait(false);
        var lease = options.VisibilityTimeout ?? _settings.VisibilityTimeout;
        var started = timeProvider.GetTimestamp();
        List<TransportMessage>? batch = null;
        while (true)
        {
            while ((batch?.Count ?? 0) < options.MaxMessages && consumer.Reader.TryRead(out var delivery))
            {
                if (await AcceptAsync(delivery, lease, cancellationToken).ConfigureAwait(false) is { } message)
                {
                    (batch ??= new List<TransportMessage>(Math.Min(options.MaxMessages, _settings.Prefetch))).Add(message);
                }
            }

            if (batch is not null)
            {
                return batch;
            }

            var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return [];
            }

            if (consumer.Dead)
            {
                consumer = await ConsumerAsync(queue, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(remaining < TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
            try
            {
                await consumer.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"RabbitMQ transport '{_name}': a message of {message.Body.Length} bytes for queue '{queue}' is larger than consumers " +
                $"accept (at most {MaxMessageBytes} bytes, RabbitMQ.Client's MaxInboundMessageBodySize)",
                nameof(message));
        }

        var properties = new BasicProperties
        {
            MessageId = Guid.NewGuid().ToString("N"),
            Persistent = _settings.Persistent,
            Headers = message.Headers is { Count: > 0 } headers ? ToAmqp(headers) : null,
        };
        await PublishAsync(queue, properties, message.Body, message.Delay, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.TryRemove(own, out _))
        {
            logger.StaleDelivery("ack", own.Id, own.Queue);
            return;
        }

        await AckTagAsync(own.Delivery, "ack", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.TryRemove(own, out _))
        {
            logger.StaleDelivery("nack", own.Id, own.Queue);
            return;
        }

        await GiveBackAsync(own, delay, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        if (!_inFlight.ContainsKey(own))
        {
            logger.StaleDelivery("lease extension", own.Id, own.Queue);
            return;
        }

        if (extension <= TimeSpan.Zero)
        {
            await NackAsync(own, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }

        Volatile.Write(ref own.LeaseDeadline, Deadline(extension));
    }

    public async ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (_management is not null)
        {
            return (await GetQueueDepthsAsync([queue], cancellationToken).ConfigureAwait(false))[queue];
        }

        // Over AMQP only ready messages can be counted (passive declare); in flight is what this process holds.
        var ready = await CountReadyAsync(queue, cancellationToken).ConfigureAwait(false);
        long delayed = 0;
        foreach (var delayQueue in _delayQueues.Of(queue))
        {
            delayed += await CountReadyAsync(delayQueue, cancellationToken).ConfigureAwait(false);
        }

        var buffered = _consumers.TryGetValue(queue, out var starting) && starting.IsCompletedSuccessfully
            ? (await starting.ConfigureAwait(false)).Reader.Count
            : 0;
        var inFlight = _inFlight.Keys.Count(m => m.Queue == queue);
        return new QueueDepth(ready + buffered, inFlight, delayed);
    }

    public async ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(
        IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (_management is { } management)
        {
            return await management.GetDepthsAsync(queues, cancellationToken).ConfigureAwait(false);
        }

        var depths = new Dictionary<string, QueueDepth>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            depths[queue] = await GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        return depths;
    }

    public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        await DeclareQueueAsync(spec.Name, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (_consumers.TryRemove(queue, out var starting) && starting.IsCompletedSuccessfully)
        {
            await (await starting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }

        foreach (var message in _inFlight.Keys.Where(m => m.Queue == queue))
        {
            _inFlight.TryRemove(message, out _);
        }

        string[] all = [queue, .. _delayQueues.Of(queue)];
        _delayQueues.Forget(queue);
        foreach (var name in all)
        {
            await AdminAsync(channel => channel.QueueDeleteAsync(name, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _leaseLoop.ConfigureAwait(false);
        using var grace = new CancellationTokenSource(ShutdownGrace, timeProvider);
        foreach (var starting in _consumers.Values)
        {
            if (starting.IsCompletedSuccessfully)
            {
                var consumer = await starting.ConfigureAwait(false);
                await ReturnBufferedAsync(consumer, grace.Token).ConfigureAwait(false);
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
        }

        _consumers.Clear();
        _inFlight.Clear();
        _management?.Dispose();
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or TimeoutException)
            {
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _adminLock.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// Test hook for a process that hangs rather than dies: it stops taking deliveries (buffered ones go back to the
    /// broker) but keeps its connection, so what it holds returns only when the leases run out.
    /// </summary>
    internal async Task StopConsumingAsync()
    {
        foreach (var starting in _consumers.Values)
        {
            if (starting.IsCompletedSuccessfully)
            {
                await ReturnBufferedAsync(await starting.ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stops the consumer and gives back what it prefetched but nobody received, with the count unchanged. Left to the
    /// channel close, the broker would flag them redelivered and they would count a delivery that never happened, so
    /// every scale-down would bring poison-message limits closer for messages no handler saw.
    /// </summary>
    private async Task ReturnBufferedAsync(QueueConsumer consumer, CancellationToken cancellationToken)
    {
        try
        {
            if (consumer.Dead || consumer.Channel.IsClosed)
            {
                return;
            }

            await consumer.Channel.BasicCancelAsync(consumer.ConsumerTag, false, cancellationToken).ConfigureAwait(false);
            while (consumer.Reader.TryRead(out var delivery))
            {
                if (delivery.Redelivered || delivery.Generation != Interlocked.Read(ref _generation))
                {
                    continue;
                }

                await RepublishAsync(delivery, PriorDeliveries(delivery.Properties), TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await AckTagAsync(delivery, "return", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The channel close hands the rest back; they count one delivery more, which errs on the safe side.
            logger.ReturnFailed(_name, consumer.Queue, ex.Message);
        }
    }

    private async Task<TransportMessage?> AcceptAsync(RabbitMqDelivery delivery, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (delivery.Consumer.Dead || delivery.Generation != Interlocked.Read(ref _generation))
        {
            // Its channel is gone; the broker has it back and will deliver it again.
            return null;
        }

        var prior = PriorDeliveries(delivery.Properties);
        var id = delivery.Properties.MessageId ?? delivery.DeliveryTag.ToString(CultureInfo.InvariantCulture);
        if (delivery.Redelivered)
        {
            // Held by a consumer that went away: count that delivery, then deliver the counted copy in turn.
            try
            {
                await RepublishAsync(delivery, prior + 1, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await AckTagAsync(delivery, "recount", cancellationToken).ConfigureAwait(false);
                logger.RedeliveryCounted(id, delivery.Consumer.Queue, prior + 1);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.RecountFailed(id, delivery.Consumer.Queue, ex);
            }

            return null;
        }

        var message = new RabbitMqMessage
        {
            Id = id,
            Queue = delivery.Consumer.Queue,
            Body = delivery.Body,
            Headers = FromAmqp(delivery.Properties.Headers),
            DeliveryCount = (int)Math.Min(int.MaxValue, prior + 1),
            Owner = this,
            Delivery = delivery,
            LeaseDeadline = lease > TimeSpan.Zero ? Deadline(lease) : 0,
        };
        _inFlight[message] = 0;
        return message;
    }

    private async Task GiveBackAsync(RabbitMqMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        await RepublishAsync(message.Delivery, message.DeliveryCount, delay, cancellationToken).ConfigureAwait(false);
        await AckTagAsync(message.Delivery, "nack", cancellationToken).ConfigureAwait(false);
    }

    private Task RepublishAsync(RabbitMqDelivery delivery, long deliveries, TimeSpan delay, CancellationToken cancellationToken)
    {
        var source = delivery.Properties;
        var headers = source.Headers is { } existing
            ? new Dictionary<string, object?>(existing.Where(h => !IsTransportHeader(h.Key)))
            : [];
        headers[DeliveryCountHeader] = deliveries;
        var properties = new BasicProperties
        {
            MessageId = source.MessageId,
            Persistent = _settings.Persistent,
            ContentType = source.ContentType,
            ContentEncoding = source.ContentEncoding,
            CorrelationId = source.CorrelationId,
            Type = source.Type,
            Headers = headers,
        };
        return PublishAsync(delivery.Consumer.Queue, properties, delivery.Body, delay, cancellationToken);
    }

    private async Task PublishAsync(string queue, BasicProperties properties, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken)
    {
        var routingKey = queue;
        if (delay > TimeSpan.Zero)
        {
            var bucket = DelayQueues.BucketMilliseconds(delay);
            routingKey = DelayQueues.Name(queue, bucket);
            var now = timeProvider.GetTimestamp();
            if (_delayQueues.NeedsDeclare(queue, bucket, now, timeProvider))
            {
                await AdminAsync(
                    channel => channel.QueueDeclareAsync(routingKey, _settings.Durable, false, false, DelayQueues.Arguments(queue, bucket), cancellationToken: cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                _delayQueues.Declared(queue, bucket, now);
            }
        }

        var retry = FirstRetry;
        while (true)
        {
            var channel = _publishChannel ?? throw new InvalidOperationException($"RabbitMQ transport '{_name}' is not initialised");
            try
            {
                await channel.BasicPublishAsync(string.Empty, routingKey, _settings.PublisherConfirm, properties, body, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PublishException ex) when (ex.IsReturn)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ transport '{_name}': queue '{routingKey}' does not exist, so the broker returned the message; create it first (autoCreate)");
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or PublishException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The connection is down or the broker refused the message: the client reconnects by itself; try again.
                logger.PublishRetry(_name, routingKey, retry, ex.Message);
                await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                retry = retry * 2 < _settings.ReconnectWait ? retry * 2 : _settings.ReconnectWait;
            }
        }
    }

    private async Task AckTagAsync(RabbitMqDelivery delivery, string operation, CancellationToken cancellationToken)
    {
        if (delivery.Consumer.Dead || delivery.Generation != Interlocked.Read(ref _generation))
        {
            logger.StaleDelivery(operation, delivery.Properties.MessageId ?? string.Empty, delivery.Consumer.Queue);
            return;
        }

        try
        {
            await delivery.Consumer.Channel.BasicAckAsync(delivery.DeliveryTag, false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The channel that delivered it died: the broker delivers it again, which at-least-once allows.
            logger.AckFailed(operation, delivery.Properties.MessageId ?? string.Empty, delivery.Consumer.Queue, ex.Message);
        }
    }

    private async Task<QueueConsumer> ConsumerAsync(string queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            // GetOrAdd may run its factory twice under a race, and a consumer nobody reads still takes a whole
            // prefetch window of deliveries that then sit unacked; so one start per queue, under a lock.
            Task<QueueConsumer>? starting;
            lock (_consumersLock)
            {
                if (!_consumers.TryGetValue(queue, out starting))
                {
                    starting = StartConsumerAsync(queue);
                    _consumers[queue] = starting;
                }
            }

            QueueConsumer consumer;
            try
            {
                consumer = await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _consumers.TryRemove(new KeyValuePair<string, Task<QueueConsumer>>(queue, starting));
                throw;
            }

            if (!consumer.Dead)
            {
                return consumer;
            }

            if (_consumers.TryRemove(new KeyValuePair<string, Task<QueueConsumer>>(queue, starting)))
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<QueueConsumer> StartConsumerAsync(string queue)
    {
        await DeclareQueueAsync(queue, _stopping.Token).ConfigureAwait(false);
        return await QueueConsumer.StartAsync(Connection, queue, _settings.Prefetch, () => Interlocked.Read(ref _generation), _stopping.Token)
            .ConfigureAwait(false);
    }

    private async Task DeclareQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, object?>();
        if (_settings.MaxLength is { } maxLength)
        {
            arguments["x-max-length"] = maxLength;
        }

        if (_settings.MaxLengthBytes is { } maxBytes)
        {
            arguments["x-max-length-bytes"] = maxBytes;
        }

        if (_settings.MessageTtlMilliseconds is { } ttl)
        {
            arguments["x-message-ttl"] = ttl;
        }

        try
        {
            await AdminAsync(channel => channel.QueueDeclareAsync(queue, _settings.Durable, false, false, arguments, cancellationToken: cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            // Declared earlier with other arguments (by an operator, or before a manifest change): use it as it is.
            logger.QueueArgumentsDiffer(_name, queue, ex.ShutdownReason.ReplyText);
            await AdminAsync(channel => channel.QueueDeclarePassiveAsync(queue, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> CountReadyAsync(string queue, CancellationToken cancellationToken)
    {
        try
        {
            var ok = await AdminAsync(channel => channel.QueueDeclarePassiveAsync(queue, cancellationToken), cancellationToken).ConfigureAwait(false);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>Runs a declare/delete on the admin channel, reopening it after a channel error closed it.</summary>
    private async Task<T> AdminAsync<T>(Func<IChannel, Task<T>> operation, CancellationToken cancellationToken)
    {
        await _adminLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var retry = FirstRetry;
            while (true)
            {
                try
                {
                    if (_adminChannel is not { IsOpen: true })
                    {
                        if (_adminChannel is { } old)
                        {
                            await old.DisposeAsync().ConfigureAwait(false);
                        }

                        _adminChannel = null;
                        _adminChannel = await Connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    }

                    return await operation(_adminChannel).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AlreadyClosedException or IOException
                    || ex is OperationInterruptedException { ShutdownReason.Initiator: not ShutdownInitiator.Peer } or OperationInterruptedException { ShutdownReason.ReplyCode: 320 or 541 })
                {
                    // Connection trouble, not an answer about the queue: wait for the client to reconnect.
                    logger.PublishRetry(_name, "(admin)", retry, ex.Message);
                    await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                    retry = retry * 2 < _settings.ReconnectWait ? retry * 2 : _settings.ReconnectWait;
                }
            }
        }
        finally
        {
            _adminLock.Release();
        }
    }

    private async Task ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LeaseSweep, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_inFlight.IsEmpty)
                {
                    continue;
                }

                var now = timeProvider.GetTimestamp();
                foreach (var message in _inFlight.Keys)
                {
                    var deadline = Volatile.Read(ref message.LeaseDeadline);
                    if (deadline == 0 || deadline > now || !_inFlight.TryRemove(message, out _))
                    {
                        continue;
                    }

                    logger.LeaseExpired(message.Id, message.Queue);
                    try
                    {
                        await GiveBackAsync(message, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.RecountFailed(message.Id, message.Queue, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task OnConnectionShutdownAsync(object sender, ShutdownEventArgs args)
    {
        // Delivery tags die with the connection: what was buffered or held comes back from the broker after recovery.
        Interlocked.Increment(ref _generation);
        foreach (var message in _inFlight.Keys)
        {
            _inFlight.TryRemove(message, out _);
        }

        if (!_stopping.IsCancellationRequested)
        {
            logger.ConnectionLost(_name, args.ReplyText);
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        logger.ConnectionRecovered(_name);
        return Task.CompletedTask;
    }

    private long Deadline(TimeSpan lease) => timeProvider.GetTimestamp() + (long)(lease.TotalSeconds * timeProvider.TimestampFrequency);

    private static long PriorDeliveries(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is not { } headers || !headers.TryGetValue(DeliveryCountHeader, out var value))
        {
            return 0;
        }

        return value switch
        {
            long l => l,
            int i => i,
            byte[] text when long.TryParse(Encoding.UTF8.GetString(text), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        };
    }

    private static Dictionary<string, object?> ToAmqp(IReadOnlyDictionary<string, string> headers)
    {
        var amqp = new Dictionary<string, object?>(headers.Count, StringComparer.Ordinal);
        foreach (var (key, value) in headers)
        {
            amqp[key] = Encoding.UTF8.GetBytes(value);
        }

        return amqp;
    }

    private static IReadOnlyDictionary<string, string> FromAmqp(IDictionary<string, object?>? headers)
    {
        if (headers is not { Count: > 0 })
        {
            return NoHeaders;
        }

        Dictionary<string, string>? result = null;
        foreach (var (key, value) in headers)
        {
            if (IsTransportHeader(key))
            {
                continue;
            }

            var text = value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string s => s,
                null => null,
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                (result ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = text;
            }
        }

        return result ?? NoHeaders;
    }

    /// <summary>Headers the broker, the client or this transport add, which are not the sender's.</summary>
    private static bool IsTransportHeader(string key) =>
        key is DeliveryCountHeader or Constants.PublishSequenceNumberHeader or "x-death" or "x-delivery-count"
        || key.StartsWith("x-first-death-", StringComparison.Ordinal)
        || key.StartsWith("x-last-death-", StringComparison.Ordinal);

    private RabbitMqMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is RabbitMqMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by RabbitMQ transport '{_name}'", nameof(message));
    }

    private static string Reason(Exception ex)
    {
        var reasons = new List<string>();
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (!reasons.Contains(e.Message))
            {
                reasons.Add(e.Message);
            }
        }

        return string.Join(" → ", reasons);
    }
}
