using Asya.Components.Abstractions;

namespace Asya.Components.InMemory;

/// <summary>
/// <c>pubsub.in-memory</c> as a mesh transport: competing consumers on process-local queues with the same
/// visibility-timeout, delay and lease semantics as <c>pubsub.sqlite</c>, but nothing survives the process.
/// </summary>
internal sealed class InMemoryTransport(InMemoryBroker broker, TimeProvider timeProvider)
    : ITransport, IQueueDepthSource, IQueueAdmin, ILeaseExtender
{
    public const string VisibilityTimeoutKey = "visibilityTimeout";

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    // Cancelled by DisposeAsync, so a receive waiting for work ends with the transport instead of waiting out its time.
    private readonly CancellationTokenSource _closing = new();
    private TimeSpan _visibilityTimeout = TimeSpan.FromSeconds(30);
    private bool _disposed;

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reader = new MetadataReader(spec);
        _visibilityTimeout = reader.GetDuration(VisibilityTimeoutKey, TimeSpan.FromSeconds(30));
        if (_visibilityTimeout <= TimeSpan.Zero)
        {
            throw ComponentConfigurationException.InvalidValue(
                spec, VisibilityTimeoutKey, reader.GetString(VisibilityTimeoutKey), "must be greater than zero");
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(
        string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var visibility = options.VisibilityTimeout ?? _visibilityTimeout;
        var target = broker.Queue(queue);
        var started = timeProvider.GetTimestamp();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_closing.IsCancellationRequested)
            {
                return [];
            }

            var wake = target.Signal.Next;
            var now = timeProvider.GetUtcNow();
            var batch = target.Claim(options.MaxMessages, now, visibility);
            if (batch.Count > 0)
            {
                return batch;
            }

            var remaining = options.WaitTime - timeProvider.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return [];
            }

            // Sleep until a send or nack wakes us, or until the earliest hidden message becomes visible.
            if (target.NextVisibleAt() is { } next && next - now < remaining)
            {
                remaining = next - now;
            }

            if (remaining > TimeSpan.Zero)
            {
                try
                {
                    await wake.WaitAsync(remaining, timeProvider, linked.Token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Time to look again.
                }
                catch (OperationCanceledException) when (_closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // Disposed while waiting: the loop's check returns nothing.
                }
            }
        }
    }

    public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = timeProvider.GetUtcNow();
        var headers = message.Headers is { Count: > 0 } h ? new Dictionary<string, string>(h) : NoHeaders;
        var target = broker.Queue(queue);
        target.Add(message.Body.ToArray(), headers, message.Delay > TimeSpan.Zero ? now + message.Delay : now);
        target.Signal.Pulse();
        return ValueTask.CompletedTask;
    }

    public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var own = Own(message);
        broker.ExistingQueue(own.Queue)?.Remove(own.Sequence, own.Lease);
        return ValueTask.CompletedTask;
    }

    public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var own = Own(message);
        var positive = delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        if (broker.ExistingQueue(own.Queue) is { } queue
            && queue.Reschedule(own.Sequence, own.Lease, timeProvider.GetUtcNow() + positive, release: true))
        {
            queue.Signal.Pulse();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ExtendLeaseAsync(TransportMessage message, TimeSpan extension, CancellationToken cancellationToken)
    {
        var own = Own(message);
        broker.ExistingQueue(own.Queue)?.Reschedule(own.Sequence, own.Lease, timeProvider.GetUtcNow() + extension, release: false);
        return ValueTask.CompletedTask;
    }

    public ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(broker.ExistingQueue(queue)?.Depth(timeProvider.GetUtcNow()) ?? default);

    public ValueTask EnsureQueueAsync(QueueSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        broker.Queue(spec.Name);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        // The queue object stays so receivers already waiting on it keep working; only its messages go.
        broker.ExistingQueue(queue)?.Clear();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Unacked messages stay leased in the broker and reappear after their visibility timeout, as after a crash.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _closing.CancelAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private static InMemoryTransportMessage Own(TransportMessage message) =>
        message as InMemoryTransportMessage
        ?? throw new ArgumentException($"A {message?.GetType().Name ?? "null"} was not received from the in-memory transport.", nameof(message));
}
