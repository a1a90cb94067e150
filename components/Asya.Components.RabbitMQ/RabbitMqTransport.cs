using System.Collections.Concurrent;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

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
internal sealed partial class RabbitMqTransport(TimeProvider timeProvider, ILogger<RabbitMqTransport> logger)
    : ITransport, IQueueAdmin, IQueueDepthSource, IReadyCountSource, ILeaseExtender, IDeliveryValidity
{
    private static readonly TimeSpan LeaseSweep = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

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

    /// <summary>Waits between retries of a publish or an admin call while the client reconnects.</summary>
    private Backoff Reconnect => new(FirstRetry, _settings.ReconnectWait);

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
        catch (Exception ex) when (IsConnectionFault(ex) || ex is System.Net.Sockets.SocketException or TimeoutException)
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
            catch (Exception ex) when (IsConnectionFault(ex) || ex is TimeoutException)
            {
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _adminLock.Dispose();
        _stopping.Dispose();
    }
}
