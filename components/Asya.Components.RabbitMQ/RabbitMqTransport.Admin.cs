using Asya.Components.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Asya.Components.RabbitMQ;

// Queue administration on a channel of its own: declare, delete, depth.
internal sealed partial class RabbitMqTransport
{
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
            // The management figures lag by the statistics interval; ready counts come live, so a scaler wakes an actor
            // from zero at once rather than up to 5 s later.
            var lagging = await management.GetDepthsAsync(queues, cancellationToken).ConfigureAwait(false);
            var ready = await GetReadyCountsAsync(queues, cancellationToken).ConfigureAwait(false);
            return lagging.ToDictionary(d => d.Key, d => d.Value with { Ready = ready[d.Key] }, StringComparer.Ordinal);
        }

        var depths = new Dictionary<string, QueueDepth>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            depths[queue] = await GetQueueDepthAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        return depths;
    }

    /// <summary>A passive declare per queue: exact, and not lagging like the management API.</summary>
    public async ValueTask<IReadOnlyDictionary<string, long>> GetReadyCountsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var counts = new Dictionary<string, long>(queues.Count, StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            counts[queue] = await CountReadyAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        return counts;
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
                catch (Exception ex) when (IsConnectionFault(ex) && !IsRefusal(ex))
                {
                    // Connection trouble, not an answer about the queue: wait for the client to reconnect.
                    logger.PublishRetry(_name, "(admin)", retry, ex.Message);
                    await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                    retry = Reconnect.Next(retry);
                }
            }
        }
        finally
        {
            _adminLock.Release();
        }
    }
}
