using Asya.Components.Abstractions;
using Asya.Testing;

namespace Asya.ExternalScaler.Tests.Depth;

/// <summary>A depth source whose answers, failures and hangs a test sets; it records how the poller called it.</summary>
public class ScriptedTransport(TimerWatchingTimeProvider time) : ITransport, IQueueDepthSource
{
    private int _calls;
    private int _timersAtLastCall;

    private volatile bool _failing;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public QueueDepth Depth { get; set; }

    /// <summary>When set, a poll never returns until cancelled (a hung broker client); it completes this first.</summary>
    public TaskCompletionSource? Hang { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Broker calls that returned or threw.</summary>
    public CountSignal Completed { get; } = new();

    /// <summary>How many timers existed when the last call ended: the poller's next wait is created after it.</summary>
    public int TimersAtLastCall => Volatile.Read(ref _timersAtLastCall);

    public int LastQueueCount { get; private set; }

    public ValueTask<IReadOnlyDictionary<string, QueueDepth>> GetQueueDepthsAsync(IReadOnlyCollection<string> queues, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Hang is { } hang)
        {
            hang.TrySetResult();
            return HangAsync(cancellationToken);
        }

        try
        {
            LastQueueCount = queues.Count;
            if (Failing)
            {
                throw new InvalidOperationException("broker unreachable");
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, QueueDepth>>(queues.ToDictionary(q => q, _ => Depth));
        }
        finally
        {
            Volatile.Write(ref _timersAtLastCall, time.TimersCreated);
            Completed.Increment();
        }
    }

    public ValueTask<QueueDepth> GetQueueDepthAsync(string queue, CancellationToken cancellationToken) => throw new NotSupportedException();

    private static async ValueTask<IReadOnlyDictionary<string, QueueDepth>> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new System.Diagnostics.UnreachableException();
    }

    public ValueTask InitAsync(ComponentSpec spec, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<IReadOnlyList<TransportMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public ValueTask SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask AckAsync(TransportMessage message, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask NackAsync(TransportMessage message, TimeSpan delay, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
