using System.Collections.Concurrent;
using System.Threading.Channels;
using Asya.Components.Abstractions;
using Asya.Components.Gcp.PubSubV1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Asya.Components.Gcp;

/// <summary>
/// One StreamingPull per queue, feeding a bounded channel that <see cref="TakeAsync"/> drains. The server holds back
/// once <c>maxOutstandingMessages</c>/<c>maxOutstandingBytes</c> are unacked (flow control); messages waiting in the
/// channel keep their lease through a periodic modifyAckDeadline. A message whose not-before time has not come is put
/// back with a deadline of the time left and never enters the channel. A broken stream is reopened with a capped
/// backoff; a missing subscription (deleted, or the emulator restarted empty) is re-created first when entity
/// management is on.
/// </summary>
internal sealed class SubscriptionConsumer : IAsyncDisposable
{
    /// <summary>Lease of a message on the stream until it is handed out; renewed while it waits in the channel.</summary>
    public static readonly TimeSpan StreamDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan HotPoll = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan ColdPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan HotWindow = TimeSpan.FromSeconds(1);

    // Unary pulls lease for the subscription's deadline, at least 10 s: renewing after 5 s keeps every waiting message held.
    private static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LeaseTick = TimeSpan.FromSeconds(2);
    private const int PollBatch = 1000;

    private readonly GcpPubSubTransport _owner;
    private readonly QueueState _queue;
    private readonly Channel<GcpPubSubMessage> _ready;
    private readonly ConcurrentDictionary<string, (string AckId, long LeasedAt)> _buffered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _clientId = Guid.NewGuid().ToString("N");
    private readonly Task _streaming;
    private readonly Task _leasing;

    public SubscriptionConsumer(GcpPubSubTransport owner, QueueState queue)
    {
        _owner = owner;
        _queue = queue;
        _ready = Channel.CreateBounded<GcpPubSubMessage>(new BoundedChannelOptions(owner.Settings.MaxOutstandingMessages)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _streaming = Task.Run(StreamAsync);
        _leasing = Task.Run(RenewLeasesAsync);
    }

    /// <summary>Pulled, due, and not yet handed out.</summary>
    public int Buffered => _buffered.Count;

    /// <summary>Up to <paramref name="max"/> messages, waiting up to <paramref name="wait"/> for the first.</summary>
    public async ValueTask<List<GcpPubSubMessage>> TakeAsync(int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var batch = new List<GcpPubSubMessage>();
        Drain(batch, max);
        if (batch.Count > 0 || wait <= TimeSpan.Zero)
        {
            return batch;
        }

        using var timeout = new CancellationTokenSource(wait, _owner.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            if (await _ready.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                Drain(batch, max);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return batch;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
#pragma warning disable VSTHRD003 // both loops were started by this instance and end on _stop
            await Task.WhenAll(_streaming, _leasing).ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
        }

        // A receive waiting in TakeAsync ends now (empty), not when its wait time runs out; nothing is handed out after this.
        _ready.Writer.TryComplete();
        while (_ready.Reader.TryRead(out _))
        {
        }

        // Pulled but never handed out: give them back now rather than after their lease.
        var ackIds = _buffered.Values.Select(b => b.AckId).ToList();
        _buffered.Clear();
        if (ackIds.Count > 0)
        {
            await _owner.ModifyDeadlineQuietlyAsync(_queue, ackIds, 0, CancellationToken.None).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void Drain(List<GcpPubSubMessage> batch, int max)
    {
        while (batch.Count < max && _ready.Reader.TryRead(out var message))
        {
            _buffered.TryRemove(message.Id, out _);
            batch.Add(message);
        }
    }

    private async Task StreamAsync()
    {
        var token = _stop.Token;
        var backoff = FirstBackoff;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_owner.Settings.StreamingPull)
                {
                    await StreamOnceAsync(() => backoff = FirstBackoff, token).ConfigureAwait(false);
                }
                else
                {
                    await PollAsync(() => backoff = FirstBackoff, token).ConfigureAwait(false);
                }
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RpcException or IOException or HttpRequestException)
            {
                _owner.Logger.StreamFailed(_owner.Name, _queue.Queue, backoff, ex);
                if (ex is RpcException { StatusCode: StatusCode.NotFound } && _owner.Settings.ManageEntities)
                {
                    await _owner.RecreateQuietlyAsync(_queue, token).ConfigureAwait(false);
                }

                try
                {
                    await Task.Delay(backoff, _owner.Time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = new Backoff(FirstBackoff, _owner.Settings.ReconnectCap).Next(backoff);
            }
        }
    }

    private async Task StreamOnceAsync(Action connected, CancellationToken cancellationToken)
    {
        using var call = _owner.Connection.Subscriber.StreamingPull(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new StreamingPullRequest
        {
            Subscription = _queue.Subscription,
            StreamAckDeadlineSeconds = TransportAttributes.DeadlineSeconds(StreamDeadline),
            ClientId = _clientId,
            MaxOutstandingMessages = _owner.Settings.MaxOutstandingMessages,
            MaxOutstandingBytes = _owner.Settings.MaxOutstandingBytes,
        }, cancellationToken).ConfigureAwait(false);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            connected();
            await AcceptAsync(call.ResponseStream.Current.ReceivedMessages, cancellationToken).ConfigureAwait(false);
        }

        // The server ends streams from time to time; the caller reopens at once.
    }

    /// <summary>
    /// Unary Pull with returnImmediately, polled while the queue is empty every 2 ms for a second after the last message
    /// (a busy pipeline keeps its hop latency low), then with a backoff up to 50 ms. Used with the
    /// emulator: it keeps dispatching to a StreamingPull whose client went away, so a crashed consumer's messages would
    /// stay hidden for the stream deadline (and count extra deliveries); a pull without returnImmediately blocks ~90 s.
    /// </summary>
    private async Task PollAsync(Action connected, CancellationToken cancellationToken)
    {
        var idle = FirstPoll;
        var lastMessage = _owner.Time.GetTimestamp();
        while (true)
        {
            var room = Math.Min(PollBatch, _owner.Settings.MaxOutstandingMessages - _buffered.Count);
            if (room > 0)
            {
                var response = await _owner.Connection.Subscriber.PullAsync(
                    new PullRequest { Subscription = _queue.Subscription, ReturnImmediately = true, MaxMessages = room },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                connected();
                if (response.ReceivedMessages.Count > 0)
                {
                    await AcceptAsync(response.ReceivedMessages, cancellationToken).ConfigureAwait(false);
                    idle = FirstPoll;
                    lastMessage = _owner.Time.GetTimestamp();
                    continue;
                }
            }

            await Task.Delay(idle, _owner.Time, cancellationToken).ConfigureAwait(false);
            var cap = _owner.Time.GetElapsedTime(lastMessage) < HotWindow ? HotPoll : ColdPoll;
            idle = new Backoff(FirstPoll, cap).Next(idle);
        }
    }

    private async Task AcceptAsync(IEnumerable<ReceivedMessage> received, CancellationToken cancellationToken)
    {
        var now = _owner.Time.GetUtcNow();
        Dictionary<int, List<string>>? early = null;
        foreach (var item in received)
        {
            var id = item.Message.MessageId;
            if (TransportAttributes.GetNotBefore(item.Message) is { } due && due > now)
            {
                _owner.Tracker.NotADelivery(id);
                _queue.Delayed[id] = due;
                early ??= [];
                var seconds = TransportAttributes.DeadlineSeconds(due - now);
                (early.TryGetValue(seconds, out var ids) ? ids : early[seconds] = []).Add(item.AckId);
                continue;
            }

            _queue.Delayed.TryRemove(id, out _);
            var message = _owner.ToMessage(_queue.Queue, item);
            _buffered[id] = (item.AckId, _owner.Time.GetTimestamp());
            await _ready.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (seconds, ackIds) in early ?? [])
        {
            await _owner.ModifyDeadlineQuietlyAsync(_queue, ackIds, seconds, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RenewLeasesAsync()
    {
        var token = _stop.Token;
        using var timer = new PeriodicTimer(LeaseTick, _owner.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                var now = _owner.Time.GetTimestamp();
                var stale = _buffered.Where(b => _owner.Time.GetElapsedTime(b.Value.LeasedAt, now) >= LeaseRenewal).ToList();
                foreach (var (id, lease) in stale)
                {
                    _buffered.TryUpdate(id, (lease.AckId, now), lease);
                }

                if (stale.Count > 0)
                {
                    await _owner.ModifyDeadlineQuietlyAsync(
                        _queue, [.. stale.Select(s => s.Value.AckId)], TransportAttributes.DeadlineSeconds(StreamDeadline), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
