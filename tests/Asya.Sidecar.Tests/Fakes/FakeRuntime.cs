using System.Text.Json;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;

namespace Asya.Sidecar.Tests.Fakes;

/// <summary>Runtime client + controller double: the test decides what each invoke returns.</summary>
internal sealed class FakeRuntime : IRuntimeClient, IRuntimeController
{
    public Func<Envelope, FrameCallback, CancellationToken, Task<RuntimeCallResult>> Handler { get; set; } =
        (envelope, onFrame, ct) => EchoAsync(envelope, onFrame, ct);

    public List<Envelope> Invocations { get; } = [];

    public int Kills { get; private set; }

    public TimeSpan LastTimeout { get; private set; }

    public bool Ready { get; set; } = true;

    public bool IsReady => Ready;

    public long Generation { get; set; }

    /// <summary>What <see cref="ExitOfAsync"/> answers after a broken call: null = the runtime is still running.</summary>
    public RuntimeExit? Exit { get; set; }

    public Task<RuntimeExit?> ExitOfAsync(long generation, TimeSpan wait, CancellationToken cancellationToken) => Task.FromResult(Exit);

    /// <summary>The FLY sink of the call in progress (null when the sidecar forwards none), for handlers that stream.</summary>
    public UpstreamCallback? Upstream { get; private set; }

    public async Task<RuntimeCallResult> InvokeAsync(ReadOnlyMemory<byte> envelope, FrameCallback onFrame, TimeSpan timeout, CancellationToken cancellationToken, UpstreamCallback? onUpstream = null)
    {
        LastTimeout = timeout;
        Upstream = onUpstream;
        var parsed = JsonSerializer.Deserialize(envelope.Span, ProtocolJsonContext.Default.Envelope)!;
        lock (Invocations)
        {
            Invocations.Add(parsed);
        }

        return await Handler(parsed, onFrame, cancellationToken);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(Ready);

    public int ReadyWaits { get; private set; }

    public Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ReadyWaits++;
        return Task.FromResult(Ready);
    }

    public void MarkUnready()
    {
    }

    public Task KillAsync(CancellationToken cancellationToken)
    {
        Kills++;
        return Task.CompletedTask;
    }

    public static async Task<RuntimeCallResult> EchoAsync(Envelope envelope, FrameCallback onFrame, CancellationToken cancellationToken)
    {
        await onFrame(new Frame { Payload = envelope.Payload, Route = envelope.Route!.Advance(), Headers = envelope.Headers }, 0, cancellationToken);
        return new RuntimeCallResult(RuntimeCallStatus.Completed, 1);
    }

    public static Task<RuntimeCallResult> FailAsync(string type, params string[] mro) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.HandlerError)
    {
        ErrorCode = RuntimeErrorCodes.ProcessingError,
        Error = new ErrorDetails { Message = "boom", Type = type, Mro = [.. mro], Traceback = "Traceback..." },
    });
}
