using System.Collections.Concurrent;
using System.Text.Json;
using Asya.Components.Abstractions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Asya.Components.Redis;

/// <summary>
/// <c>pubsub.redis</c> on Redis Streams: one stream per queue (key = queue name), consumer group <c>asya</c>.
/// Each received entry gets a lease in <c>&lt;queue&gt;:leases</c>; a later receive by any consumer claims entries
/// whose lease ran out (XCLAIM, which counts a delivery). Ack is XACK + XDEL; nack re-adds the entry's fields with
/// the delivery count, at once or through the delay set <c>&lt;queue&gt;:delayed</c>. The client has no blocking
/// read, so an empty queue is polled with a backoff from a millisecond up to the poll cap; senders also PUBLISH on the
/// queue's wake channel, so a waiting receiver polls again at once instead of sleeping out its backoff.
/// </summary>
internal sealed class RedisStreamsTransport(TimeProvider timeProvider, ILogger<RedisStreamsTransport> logger)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    public const string GroupName = "asya";

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly Backoff ErrorBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    private readonly ConcurrentDictionary<string, long> _lastSweep = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<RedisQueueWake>> _wakes = new(StringComparer.Ordinal);
    private ConnectionMultiplexer? _connection;
    // Cancelled by DisposeAsync: a receive waiting between polls ends with the transport instead of waiting out its time.
    private readonly CancellationTokenSource _closing = new();
    private int _disposed;
    private string _name = "pubsub.redis";
    private string _consumer = string.Empty;
    private TimeSpan _processingTimeout = TimeSpan.FromSeconds(60);
    private TimeSpan _redeliverInterval = TimeSpan.FromSeconds(15);
    private TimeSpan _pollCap = MaxPollDelay;
    private int _queueDepth = 100;
    private long _maxLenApprox;

    /// <summary>This instance's consumer name in the group.</summary>
    internal string ConsumerName => _consumer;

    private IDatabase Database => _connection?.GetDatabase()
        ?? throw new InvalidOperationException($"Redis transport '{_name}' is not initialised");

    public async ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _name = spec.Name;
        var reader = new MetadataReader(spec);
        _processingTimeout = reader.GetDuration(RedisKeys.ProcessingTimeout, TimeSpan.FromSeconds(60), bareNumberIsMilliseconds: true);
        if (_processingTimeout <= TimeSpan.Zero)
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, RedisKeys.ProcessingTimeout, reader.GetString(RedisKeys.ProcessingTimeout), "must be positive");
        }

        _redeliverInterval = reader.GetDuration(RedisKeys.RedeliverInterval, TimeSpan.FromSeconds(15), bareNumberIsMilliseconds: true);
        _pollCap = _redeliverInterval > TimeSpan.Zero && _redeliverInterval < MaxPollDelay ? _redeliverInterval : MaxPollDelay;
        _queueDepth = reader.GetInt(RedisKeys.QueueDepth, 100, min: 1);
        // Validated for Dapr compatibility only: the sidecar decides how many messages it works on at once.
        reader.GetInt(RedisKeys.Concurrency, 10, min: 1);
        _maxLenApprox = reader.GetInt(RedisKeys.MaxLenApprox, 0, min: 0);
        if (reader.GetString(RedisKeys.StreamTtl) is { } ttl)
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, RedisKeys.StreamTtl, ttl, "trimming by age is not supported; use maxLenApprox");
        }

        // Dapr uses consumerID for the group and the consumer; the group is fixed here, and without consumerID each
        // instance is its own consumer so that a crashed one's entries can be told apart and reclaimed.
        _consumer = reader.GetString(RedisKeys.ConsumerId)?.Trim() is { Length: > 0 } id
            ? id
            : $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _connection = await RedisConnector.ConnectAsync(reader, logger, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(
        string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var lease = options.VisibilityTimeout ?? _processingTimeout;
        var started = timeProvider.GetTimestamp();
        var delay = FirstPollDelay;
        var errorDelay = ErrorBackoff.First;
        var wake = await WakeForAsync(queue).ConfigureAwait(false);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_closing.IsCancellationRequested)
            {
                return [];
            }

            var announced = wake?.Next;
            try
            {
                var batch = await PollAsync(queue, Math.Min(options.MaxMessages, _queueDepth), lease).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    return batch;
                }
            }
            catch (InvalidOperationException) when (_closing.IsCancellationRequested)
            {
                // Disposed between the check above and the poll.
                return [];
            }
            catch (RedisConnectionException ex)
            {
                // The multiplexer reconnects by itself; wait a little longer each time and poll again.
                logger.PollFailed(_name, queue, ex);
                delay = errorDelay;
                errorDelay = ErrorBackoff.Next(errorDelay);
            }

            var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return [];
            }

            var sleep = Task.Delay(remaining < delay ? remaining : delay, timeProvider, waiting.Token);
            try
            {
                await (announced is null ? sleep : Task.WhenAny(announced, sleep)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Disposed while waiting: the check at the top of the loop returns nothing.
            }
            delay = new Backoff(FirstPollDelay, _pollCap).Next(delay);
        }
    }

    public async ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        var fields = new List<NameValueEntry>(2) { new(RedisStreamScripts.DataField, message.Body) };
        if (message.Headers is { Count: > 0 } headers)
        {
            fields.Add(new NameValueEntry(RedisStreamScripts.MetadataField, StringMapJson.Serialize(headers)));
        }

        if (message.Delay > TimeSpan.Zero)
        {
            var token = Guid.NewGuid().ToString("N");
            var args = new List<RedisValue>(2 + (fields.Count * 2)) { token, (long)Math.Ceiling(message.Delay.TotalMilliseconds) };
            foreach (var field in fields)
            {
                args.Add(field.Name);
                args.Add(field.Value);
            }

            await Database.ScriptEvaluateAsync(
                RedisStreamScripts.SendDelayed, [DelayedKey(queue), (RedisKey)(DelayedPrefix(queue) + token)], [.. args]).ConfigureAwait(false);
            return;
        }

        await Database.StreamAddAsync(
            queue, [.. fields], maxLength: _maxLenApprox > 0 ? _maxLenApprox : null, useApproximateMaxLength: _maxLenApprox > 0).ConfigureAwait(false);
        Announce(queue);
    }

    public async ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var result = await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Ack, [own.Queue, LeasesKey(own.Queue)], [GroupName, _consumer, own.Id, own.TimesDelivered]).ConfigureAwait(false);
        ReportStale(result, "ack", own);
    }

    public async ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var delayMs = delay > TimeSpan.Zero ? (long)Math.Ceiling(delay.TotalMilliseconds) : 0;
        var result = await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Nack,
            [own.Queue, LeasesKey(own.Queue), DelayedKey(own.Queue)],
            [GroupName, _consumer, own.Id, own.DeliveryCount, delayMs, DelayedPrefix(own.Queue), Guid.NewGuid().ToString("N"), _maxLenApprox, own.TimesDelivered])
            .ConfigureAwait(false);
        ReportStale(result, "nack", own);
        if (delayMs == 0)
        {
            Announce(own.Queue);
        }
    }

    public async ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var ms = extension > TimeSpan.Zero ? (long)Math.Ceiling(extension.TotalMilliseconds) : 0;
        var result = await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Extend, [own.Queue, LeasesKey(own.Queue)], [GroupName, _consumer, own.Id, ms, own.TimesDelivered]).ConfigureAwait(false);
        ReportStale(result, "lease extension", own);
    }

    public async ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Depth, [queue, DelayedKey(queue)], [GroupName]).ConfigureAwait(false))!;
        return new QueueDepth((long)result[0], (long)result[1], (long)result[2]);
    }

    /// <summary>Every queue's depth script sent in one pipelined batch: one round trip whatever the number of queues.</summary>
    public async ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(
        IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var names = queues.Distinct(StringComparer.Ordinal).ToArray();
        var depths = new Dictionary<string, QueueDepth>(names.Length, StringComparer.Ordinal);
        if (names.Length == 0)
        {
            return depths;
        }

        var batch = Database.CreateBatch();
        var replies = new Task<RedisResult>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            replies[i] = batch.ScriptEvaluateAsync(RedisStreamScripts.Depth, [names[i], DelayedKey(names[i])], [GroupName]);
        }

        batch.Execute();
        await Task.WhenAll(replies).WaitAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < names.Length; i++)
        {
            var result = (RedisResult[])(await replies[i].ConfigureAwait(false))!;
            depths[names[i]] = new QueueDepth((long)result[0], (long)result[1], (long)result[2]);
        }

        return depths;
    }

    public async ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Name);
        await Database.ScriptEvaluateAsync(RedisStreamScripts.Ensure, [spec.Name], [GroupName]).ConfigureAwait(false);
    }

    public async ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Delete, [queue, LeasesKey(queue), DelayedKey(queue)], [DelayedPrefix(queue)]).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _closing.Dispose();
        if (_connection is not { } connection)
        {
            return;
        }

        foreach (var queue in _lastSweep.Keys)
        {
            try
            {
                await connection.GetDatabase().ScriptEvaluateAsync(RedisStreamScripts.Release, [queue], [GroupName, _consumer]).ConfigureAwait(false);
            }
            catch (RedisException ex)
            {
                logger.ReleaseFailed(_name, queue, ex);
            }
        }

        _connection = null;
        await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    internal static string LeasesKey(string queue) => queue + ":leases";

    private static RedisChannel WakeChannel(string queue) => RedisChannel.Literal(queue + ":wake");

    /// <summary>Tells waiting receivers (any process) that <paramref name="queue"/> has an entry; best effort, never awaited.</summary>
    private void Announce(string queue) =>
        _connection?.GetSubscriber().Publish(WakeChannel(queue), RedisValue.EmptyString, CommandFlags.FireAndForget);

    /// <summary>The queue's wake signal, subscribed once per queue; <c>null</c> (plain polling) when subscribing fails.</summary>
    private async Task<RedisQueueWake?> WakeForAsync(string queue)
    {
        // A race may subscribe twice; the loser's handler pulses a signal nobody waits on, which is harmless.
        var subscription = _wakes.GetOrAdd(queue, SubscribeAsync);
        try
        {
            return await subscription.ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            _wakes.TryRemove(new KeyValuePair<string, Task<RedisQueueWake>>(queue, subscription));
            logger.PollFailed(_name, queue, ex);
            return null;
        }
    }

    private async Task<RedisQueueWake> SubscribeAsync(string queue)
    {
        var wake = new RedisQueueWake();
        var connection = _connection ?? throw new InvalidOperationException($"Redis transport '{_name}' is not initialised");
        await connection.GetSubscriber().SubscribeAsync(WakeChannel(queue), (_, _) => wake.Pulse()).ConfigureAwait(false);
        return wake;
    }

    internal static string DelayedKey(string queue) => queue + ":delayed";

    private static string DelayedPrefix(string queue) => queue + ":delayed:";

    private async Task<IReadOnlyList<TransportMessage>> PollAsync(string queue, int max, TimeSpan lease)
    {
        var sweep = 0L;
        if (_redeliverInterval > TimeSpan.Zero)
        {
            var now = timeProvider.GetTimestamp();
            var last = _lastSweep.GetOrAdd(queue, 0);
            if (last == 0 || timeProvider.GetElapsedTime(last, now) >= _redeliverInterval)
            {
                _lastSweep[queue] = now;
                sweep = (long)_processingTimeout.TotalMilliseconds;
            }
        }

        var result = await Database.ScriptEvaluateAsync(
            RedisStreamScripts.Receive,
            [queue, LeasesKey(queue), DelayedKey(queue)],
            [GroupName, _consumer, max, (long)Math.Ceiling(lease.TotalMilliseconds), DelayedPrefix(queue), _maxLenApprox, sweep])
            .ConfigureAwait(false);
        var entries = (RedisResult[])result!;
        if (entries.Length == 0)
        {
            return [];
        }

        var messages = new List<TransportMessage>(entries.Length);
        foreach (var item in entries)
        {
            var parts = (RedisResult[])item!;
            messages.Add(ToMessage(queue, (string)parts[0]!, (RedisResult[])parts[1]!, (long)parts[2]));
        }

        return messages;
    }

    private RedisStreamMessage ToMessage(string queue, string id, RedisResult[] fields, long timesDelivered)
    {
        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        var headers = NoHeaders;
        long prior = 0;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case RedisStreamScripts.DataField:
                    body = (byte[]?)fields[i + 1] ?? [];
                    break;
                case RedisStreamScripts.MetadataField:
                    headers = ParseHeaders((string?)fields[i + 1]);
                    break;
                case RedisStreamScripts.PriorDeliveriesField:
                    prior = (long)fields[i + 1];
                    break;
            }
        }

        return new RedisStreamMessage
        {
            Id = id,
            Queue = queue,
            Body = body,
            Headers = headers,
            DeliveryCount = (int)Math.Min(int.MaxValue, prior + Math.Max(1, timesDelivered)),
            TimesDelivered = timesDelivered,
            Owner = this,
        };
    }

    private static IReadOnlyDictionary<string, string> ParseHeaders(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return NoHeaders;
        }

        // Dapr writes the same field as a JSON object of strings; anything else is not ours to interpret.
        try
        {
            return StringMapJson.Deserialize(json) ?? NoHeaders;
        }
        catch (JsonException)
        {
            return NoHeaders;
        }
    }

    private RedisStreamMessage Own(TransportMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message is RedisStreamMessage own && ReferenceEquals(own.Owner, this)
            ? own
            : throw new ArgumentException($"message {message.Id} was not received by Redis transport '{_name}'", nameof(message));
    }

    private void ReportStale(RedisResult result, string operation, RedisStreamMessage message)
    {
        if ((long)result != 1)
        {
            logger.StaleDelivery(operation, message.Id, message.Queue);
        }
    }
}
