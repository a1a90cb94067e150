using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Grpc.Core;

namespace Asya.Components.Gcp;

// Queue administration: a topic and a subscription per queue, created once and re-created when they vanish; depth by peeking.
internal sealed partial class GcpPubSubTransport
{
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
