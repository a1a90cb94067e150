using System.Collections.Concurrent;
using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Gcp;

/// <summary>
/// <c>pubsub.gcp.pubsub</c> on the Pub/Sub v1 gRPC API: a topic and a subscription per queue, both named as the queue.
/// Receive drains a StreamingPull (<see cref="SubscriptionConsumer"/>) and sets each handed-out message's ack deadline
/// to the visibility timeout; ack is Acknowledge, nack is modifyAckDeadline (0, or the delay up to 600 s; longer delays
/// republish with a not-before attribute). Delayed sends carry the not-before attribute. Depth is what this process
/// knows plus a peek (see <see cref="GetQueueDepthAsync"/>): Pub/Sub has no backlog API.
/// </summary>
internal sealed class GcpPubSubTransport(TimeProvider timeProvider, ILogger<GcpPubSubTransport> logger, Func<string, string?> environment)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    /// <summary>Pub/Sub's limit for a message's data: 10 MB (https://cloud.google.com/pubsub/quotas#resource_limits).</summary>
    public const int MaxMessageBytes = 10_000_000;

    private const int PeekBatch = 1000;
    private const int PeekLimit = 10_000;
    private static readonly TimeSpan PublishRetryBudget = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    // One creation task per queue, shared by every caller: a publisher must not slip a message in between the
    // re-created topic and its subscription (Pub/Sub drops messages published to a topic without subscriptions).
    private readonly Dictionary<string, Task> _ensured = new(StringComparer.Ordinal);
    private readonly Lock _ensuredLock = new();
    private PubSubConnection? _connection;

    public string Name { get; private set; } = "pubsub.gcp.pubsub";

    public GcpPubSubSettings Settings { get; private set; } = new() { ProjectId = "unset" };

    public TimeProvider Time => timeProvider;

    public ILogger Logger => logger;

    public DeliveryTracker Tracker { get; } = new();

    public PubSubConnection Connection => _connection
        ?? throw new InvalidOperationException($"Pub/Sub transport '{Name}' is not initialised");

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Name = spec.Name;
        Settings = GcpPubSubSettings.Read(spec, environment);
        _connection = await PubSubConnection.OpenAsync(spec, Settings, cancellationToken).ConfigureAwait(false);
        await ProbeAsync(spec, cancellationToken).ConfigureAwait(false);
        logger.Connected(Name, Settings.ProjectId, Settings.EmulatorEndpoint ?? Settings.CloudEndpoint);
    }

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var state = State(queue);
        if (state.Consumer is null)
        {
            if (Settings.ManageEntities)
            {
                await EnsureAsync(state, cancellationToken).ConfigureAwait(false);
            }

            lock (state)
            {
                state.Consumer ??= new SubscriptionConsumer(this, state);
            }
        }

        var batch = await state.Consumer.TakeAsync(options.MaxMessages, options.WaitTime, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return [];
        }

        foreach (var message in batch)
        {
            state.InFlight[message.Id] = message.AckId;
        }

        var visibility = TransportAttributes.DeadlineSeconds(options.VisibilityTimeout ?? Settings.AckDeadline);
        await ModifyDeadlineQuietlyAsync(state, [.. batch.Select(m => m.AckId)], Math.Max(1, visibility), cancellationToken).ConfigureAwait(false);
        return batch;
    }

    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var state = State(queue);
        if (message.Body.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"Pub/Sub transport '{Name}': a message of {message.Body.Length} bytes for queue '{queue}' is larger than Pub/Sub takes " +
                $"(at most {MaxMessageBytes} bytes of data)",
                nameof(message));
        }

        var outgoing = new PubsubMessage { Data = UnsafeByteOperations.UnsafeWrap(message.Body) };
        foreach (var (key, value) in message.Headers ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(TransportAttributes.Prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"header '{key}' uses the prefix {TransportAttributes.Prefix}, which the Pub/Sub transport keeps for itself", nameof(message));
            }

            outgoing.Attributes[key] = value;
        }

        DateTimeOffset? due = message.Delay > TimeSpan.Zero ? timeProvider.GetUtcNow() + message.Delay : null;
        if (due is { } notBefore)
        {
            outgoing.Attributes[TransportAttributes.NotBefore] = TransportAttributes.Format(notBefore);
        }

        if (outgoing.Data.IsEmpty && outgoing.Attributes.Count == 0)
        {
            outgoing.Attributes[TransportAttributes.Empty] = "1";
        }

        if (Settings.EnableMessageOrdering && Settings.OrderingKey is { } orderingKey)
        {
            outgoing.OrderingKey = orderingKey;
        }

        var id = await PublishAsync(state, outgoing, cancellationToken).ConfigureAwait(false);
        if (due is { } dueAt)
        {
            state.Delayed[id] = dueAt;
        }
    }

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        state.InFlight.TryRemove(own.Id, out _);
        Tracker.Forget(own.Id);
        try
        {
            await Connection.Subscriber.AcknowledgeAsync(
                new AcknowledgeRequest { Subscription = state.Subscription, AckIds = { own.AckId } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (IsStale(ex))
        {
            logger.StaleDelivery("ack", own.Id, own.Queue);
        }
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        if (delay <= GcpPubSubSettings.MaxAckDeadline)
        {
            var seconds = TransportAttributes.DeadlineSeconds(delay);
            await ModifyDeadlineAsync(own, state, seconds, "nack", cancellationToken).ConfigureAwait(false);
            state.InFlight.TryRemove(own.Id, out _);
            if (seconds > 0)
            {
                state.Delayed[own.Id] = timeProvider.GetUtcNow() + delay;
            }

            return;
        }

        // Beyond the longest ack deadline: a copy that waits for its time, then the original goes.
        var copy = own.Raw.Clone();
        copy.MessageId = string.Empty;
        copy.PublishTime = null;
        var due = timeProvider.GetUtcNow() + delay;
        copy.Attributes[TransportAttributes.NotBefore] = TransportAttributes.Format(due);
        copy.Attributes[TransportAttributes.PriorDeliveries] = own.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = await PublishAsync(state, copy, cancellationToken).ConfigureAwait(false);
        state.Delayed[id] = due;
        await AckAsync(own, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var state = State(own.Queue);
        var seconds = TransportAttributes.DeadlineSeconds(extension);
        await ModifyDeadlineAsync(own, state, seconds, "lease extension", cancellationToken).ConfigureAwait(false);
        if (seconds == 0)
        {
            state.InFlight.TryRemove(own.Id, out _);
        }
    }

    /// <summary>
    /// Ready = pulled by this process and not yet handed out, plus what a peek finds (a Pull that returns at once,
    /// each message given straight back with a deadline of 0). In flight and delayed are what this process handed out,
    /// sent with a delay or saw early. Pub/Sub has no backlog count outside Cloud Monitoring (and none in the emulator),
    /// so messages held by other processes are not counted. Each peek counts as a delivery attempt on the server, so with
    /// a dead-letter policy there is no peek and ready counts only this process's buffer.
    /// </summary>
    public async ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken)
    {
        var state = State(queue);
        // A peek is a delivery attempt to Pub/Sub: under a dead-letter policy, polling depth would dead-letter healthy messages.
        var peeked = Settings.DeadLetterTopic is null ? await PeekAsync(state, cancellationToken).ConfigureAwait(false) : 0;
        return new QueueDepth(
            (state.Consumer?.Buffered ?? 0) + peeked,
            state.InFlight.Count,
            state.DelayedAt(timeProvider.GetUtcNow()));
    }

    public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var state = State(spec.Name);
        await RecreateAsync(state, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var state = State(queue);
        if (_queues.TryRemove(state.Queue, out var removed) && removed.Consumer is { } consumer)
        {
            // Stopped first, or it would re-create the subscription it sees vanish.
            await consumer.DisposeAsync().ConfigureAwait(false);
        }

        lock (_ensuredLock)
        {
            _ensured.Remove(state.Queue);
        }

        await IgnoreNotFoundAsync(Connection.Subscriber.DeleteSubscriptionAsync(
            new DeleteSubscriptionRequest { Subscription = state.Subscription }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await IgnoreNotFoundAsync(Connection.Publisher.DeleteTopicAsync(
            new DeleteTopicRequest { Topic = state.Topic }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var state in _queues.Values)
        {
            if (state.Consumer is { } consumer)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }
        }

        _queues.Clear();
        _connection?.Dispose();
        _connection = null;
    }

    internal GcpPubSubMessage ToMessage(string queue, ReceivedMessage received) => new()
    {
        Id = received.Message.MessageId,
        Queue = queue,
        Body = received.Message.Data.Memory,
        Headers = TransportAttributes.Headers(received.Message),
        DeliveryCount = Tracker.Deliver(received),
        AckId = received.AckId,
        Raw = received.Message,
        Owner = this,
    };

    /// <summary>Sets the deadline of many messages at once; failures are logged (the message then reappears on its own).</summary>
    internal async Task ModifyDeadlineQuietlyAsync(QueueState state, IReadOnlyList<string> ackIds, int seconds, CancellationToken cancellationToken)
    {
        // Requests stay well under Pub/Sub's 512 KB limit (ack ids are a few hundred bytes).
        foreach (var chunk in ackIds.Chunk(1000))
        {
            try
            {
                await Connection.Subscriber.ModifyAckDeadlineAsync(
                    new ModifyAckDeadlineRequest { Subscription = state.Subscription, AckIds = { chunk }, AckDeadlineSeconds = seconds },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
            {
                logger.DeadlineFailed(Name, chunk.Length, state.Queue, ex);
            }
        }
    }

    /// <summary>Re-creates a queue's topic and subscription after they vanished; failures are logged, the caller retries.</summary>
    internal async Task RecreateQuietlyAsync(QueueState state, CancellationToken cancellationToken)
    {
        try
        {
            await RecreateAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            logger.CreateFailed(Name, state.Queue, ex);
        }
    }

    private QueueState State(string queue) =>
        _queues.GetOrAdd(PubSubNames.CheckQueue(queue), q => new QueueState(
            q, PubSubNames.Topic(Settings.ProjectId, q), PubSubNames.Subscription(Settings.ProjectId, q)));

    private async Task<string> PublishAsync(QueueState state, PubsubMessage message, CancellationToken cancellationToken)
    {
        if (Settings.ManageEntities)
        {
            // Pub/Sub drops what is published to a topic without subscriptions, so both exist before the first send.
            await EnsureAsync(state, cancellationToken).ConfigureAwait(false);
        }

        var request = new PublishRequest { Topic = state.Topic, Messages = { message } };
        var backoff = TimeSpan.FromMilliseconds(100);
        var started = timeProvider.GetTimestamp();
        var recreated = false;
        while (true)
        {
            try
            {
                return (await Connection.Publisher.PublishAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false)).MessageIds[0];
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !recreated)
            {
                if (!Settings.ManageEntities)
                {
                    throw new InvalidOperationException(
                        $"Pub/Sub transport '{Name}': topic {state.Topic} does not exist and disableEntityManagement is set; create it and its subscription {state.Subscription}",
                        ex);
                }

                // Deleted behind our back, or an emulator that restarted empty.
                await RecreateAsync(state, cancellationToken).ConfigureAwait(false);
                recreated = true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && timeProvider.GetElapsedTime(started) < PublishRetryBudget)
            {
                // A connection being re-established; the send is retried (at least once, as the contract allows).
                await Task.Delay(backoff, timeProvider, cancellationToken).ConfigureAwait(false);
                backoff = backoff * 2 < Settings.ReconnectCap ? backoff * 2 : Settings.ReconnectCap;
            }
        }
    }

    /// <summary>Waits until the queue's topic and subscription exist, creating them once per queue.</summary>
    private Task EnsureAsync(QueueState state, CancellationToken cancellationToken)
    {
        Task creation;
        lock (_ensuredLock)
        {
            if (!_ensured.TryGetValue(state.Queue, out creation!) || creation.IsFaulted || creation.IsCanceled)
            {
                creation = StartCreationAsync(state);
            }
        }

        return creation.WaitAsync(cancellationToken);
    }

    /// <summary>Creates the entities again (they vanished), joining a re-creation already under way.</summary>
    private Task RecreateAsync(QueueState state, CancellationToken cancellationToken)
    {
        Task creation;
        lock (_ensuredLock)
        {
            if (!_ensured.TryGetValue(state.Queue, out creation!) || creation.IsCompleted)
            {
                creation = StartCreationAsync(state);
            }
        }

        return creation.WaitAsync(cancellationToken);
    }

    // Called under _ensuredLock. Not the caller's token: other callers share the task.
    private Task StartCreationAsync(QueueState state)
    {
        var creation = CreateEntitiesAsync(state, CancellationToken.None);
        _ensured[state.Queue] = creation;
        return creation;
    }

    private async Task CreateEntitiesAsync(QueueState state, CancellationToken cancellationToken)
    {
        await IgnoreExistingAsync(Connection.Publisher.CreateTopicAsync(new Topic { Name = state.Topic }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var subscription = new Subscription
        {
            Name = state.Subscription,
            Topic = state.Topic,
            // The subscription's own deadline only matters to other clients: ours set one per handed-out message.
            AckDeadlineSeconds = Math.Clamp(TransportAttributes.DeadlineSeconds(Settings.AckDeadline), 10, 600),
            EnableMessageOrdering = Settings.EnableMessageOrdering,
            ExpirationPolicy = new ExpirationPolicy(),
        };
        if (Settings.DeadLetterTopic is { } deadLetter)
        {
            await IgnoreExistingAsync(Connection.Publisher.CreateTopicAsync(new Topic { Name = deadLetter }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            // Without a subscription the dead letters would be dropped; this one has the topic's id, like a queue.
            var deadLetterId = deadLetter[(deadLetter.LastIndexOf('/') + 1)..];
            await IgnoreExistingAsync(Connection.Subscriber.CreateSubscriptionAsync(new Subscription
            {
                Name = PubSubNames.Subscription(Settings.ProjectId, deadLetterId),
                Topic = deadLetter,
                AckDeadlineSeconds = 60,
                ExpirationPolicy = new ExpirationPolicy(),
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            subscription.DeadLetterPolicy = new DeadLetterPolicy { DeadLetterTopic = deadLetter, MaxDeliveryAttempts = Settings.MaxDeliveryAttempts };
        }

        if (await IgnoreExistingAsync(Connection.Subscriber.CreateSubscriptionAsync(subscription, cancellationToken: cancellationToken)).ConfigureAwait(false))
        {
            logger.Created(Name, state.Queue);
        }
    }

    private async Task<int> PeekAsync(QueueState state, CancellationToken cancellationToken)
    {
        var ready = new List<string>();
        var early = new List<(string AckId, int Seconds)>();
        try
        {
            while (ready.Count + early.Count < PeekLimit)
            {
                var response = await Connection.Subscriber.PullAsync(
                    new PullRequest { Subscription = state.Subscription, ReturnImmediately = true, MaxMessages = PeekBatch },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                if (response.ReceivedMessages.Count == 0)
                {
                    break;
                }

                var now = timeProvider.GetUtcNow();
                foreach (var item in response.ReceivedMessages)
                {
                    Tracker.NotADelivery(item.Message.MessageId);
                    if (TransportAttributes.GetNotBefore(item.Message) is { } due && due > now)
                    {
                        state.Delayed[item.Message.MessageId] = due;
                        early.Add((item.AckId, TransportAttributes.DeadlineSeconds(due - now)));
                    }
                    else
                    {
                        ready.Add(item.AckId);
                    }
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // No subscription, no messages.
        }
        finally
        {
            if (ready.Count > 0)
            {
                await ModifyDeadlineQuietlyAsync(state, ready, 0, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var group in early.GroupBy(e => e.Seconds))
            {
                await ModifyDeadlineQuietlyAsync(state, [.. group.Select(g => g.AckId)], group.Key, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return ready.Count;
    }

    private async Task ModifyDeadlineAsync(GcpPubSubMessage message, QueueState state, int seconds, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await Connection.Subscriber.ModifyAckDeadlineAsync(
                new ModifyAckDeadlineRequest { Subscription = state.Subscription, AckIds = { message.AckId }, AckDeadlineSeconds = seconds },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (IsStale(ex))
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
    }

    private async Task ProbeAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        // Any answer (even NotFound or PermissionDenied) proves the endpoint speaks Pub/Sub; only no answer is fatal.
        try
        {
            await Connection.Publisher.GetTopicAsync(
                new GetTopicRequest { Topic = PubSubNames.Topic(Settings.ProjectId, "asya-probe") },
                deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            throw new ComponentConfigurationException(
                $"{spec.Describe()}: cannot reach Pub/Sub at {Settings.EmulatorEndpoint ?? Settings.CloudEndpoint} ({ex.StatusCode}: {ex.Status.Detail})", ex);
        }
        catch (RpcException)
        {
        }
    }

    private GcpPubSubMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is GcpPubSubMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by Pub/Sub transport '{Name}'", nameof(message));
    }

    /// <summary>An ack id that expired, or a subscription that went away with it (emulator restart).</summary>
    private static bool IsStale(RpcException ex) =>
        ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition;

    private static async Task<bool> IgnoreExistingAsync<T>(AsyncUnaryCall<T> call)
    {
        using (call)
        {
            try
            {
                await call;
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                return false;
            }
        }
    }

    private static async Task IgnoreNotFoundAsync<T>(AsyncUnaryCall<T> call)
    {
        using (call)
        {
            try
            {
                await call;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
            }
        }
    }
}
