using System.Collections.Concurrent;
using System.Threading.Channels;
using Asya.Components.Abstractions;
using Asya.Testing;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>A tiny in-process transport for engine tests: per-queue channels, records sends, acks and nacks.</summary>
internal sealed class TestTransport : ITransport
{
    private readonly ConcurrentDictionary<string, Channel<TestMessage>> _queues = new();
    private int _ids;

    public ConcurrentQueue<(string Queue, OutgoingMessage Message)> Sent { get; } = new();

    public ConcurrentQueue<string> Acked { get; } = new();

    /// <summary>Counts acks, so a test can wait for the n-th one.</summary>
    public CountSignal Acks { get; } = new();

    public ConcurrentQueue<string> Nacked { get; } = new();

    public Action<string, OutgoingMessage>? OnSend { get; set; }

    public Func<string, bool>? FailSendTo { get; set; }

    public TestMessage Enqueue(string queue, byte[] body, int deliveryCount = 1)
    {
        var message = new TestMessage { Id = "m" + Interlocked.Increment(ref _ids), Queue = queue, Body = body, DeliveryCount = deliveryCount };
        Queue(queue).Writer.TryWrite(message);
        return message;
    }

    public IReadOnlyList<OutgoingMessage> SentTo(string queue) => [.. Sent.Where(s => s.Queue == queue).Select(s => s.Message)];

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>How many receive calls still throw (a broker outage).</summary>
    public int FailReceives { get; set; }

    /// <summary>Counts receive calls (failed ones too), so a test can wait until the loop is receiving.</summary>
    public CountSignal Receives { get; } = new();

    public int ReceiveCalls => Receives.Count;

    /// <summary>When set, a receive never returns until cancelled (a hung broker client); it completes this first.</summary>
    public TaskCompletionSource? HangReceives { get; set; }

    public async ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        Receives.Increment();
        if (FailReceives > 0)
        {
            FailReceives--;
            throw new IOException("broker unavailable (test)");
        }

        if (HangReceives is { } hang)
        {
            hang.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        var reader = Queue(queue).Reader;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(options.WaitTime);
        try
        {
            if (await reader.WaitToReadAsync(wait.Token) && reader.TryRead(out var message))
            {
                return [message];
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return [];
    }

    public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (FailSendTo?.Invoke(queue) == true)
        {
            throw new IOException($"send to {queue} failed (test)");
        }

        Sent.Enqueue((queue, message));
        OnSend?.Invoke(queue, message);
        return ValueTask.CompletedTask;
    }

    public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        Acked.Enqueue(message.Id);
        Acks.Increment();
        return ValueTask.CompletedTask;
    }

    public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        Nacked.Enqueue(message.Id);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Channel<TestMessage> Queue(string name) => _queues.GetOrAdd(name, _ => Channel.CreateUnbounded<TestMessage>());
}

internal sealed class TestMessage : TransportMessage;
