using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>
/// A runtime call that reached a runtime and broke fails the attempt (crashed, or the process lives on and may be running
/// the handler); only a call that never reached a runtime, or reached one the sidecar killed, is made again.
/// </summary>
public sealed class RuntimeCrashTests
{
    private static readonly RuntimeExit Crash = new(4242, 137, KilledBySidecar: false, ["Traceback ...", "MemoryError"]);

    private static ResiliencySettings Retry(int maxAttempts) => new()
    {
        Policies = new Dictionary<string, RetryPolicy>
        {
            ["default"] = new() { Name = "default", MaxAttempts = maxAttempts, Backoff = BackoffKind.Constant, InitialDelay = TimeSpan.FromSeconds(2) },
        },
    };

    private static Task<RuntimeCallResult> BrokenAsync() =>
        Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.Broken) { Exception = new IOException("response ended prematurely") });

    [Fact]
    public async Task BrokenCall_RuntimeDied_AttemptFailsAsRuntimeCrashedThroughThePolicy()
    {
        using var h = new ProcessorHarness(resiliency: Retry(3));
        h.Runtime.Handler = (_, _, _) => BrokenAsync();
        h.Runtime.Exit = Crash;
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.Single(h.Runtime.Invocations);
        var retry = h.Single("a");
        Assert.Equal(EnvelopePhase.Retrying, retry.Status!.Phase);
        Assert.Equal(2, retry.Status.Attempt);
        Assert.Equal("asya.RuntimeCrashed", retry.Status.Error!.Type);
        Assert.Contains("exit code 137 (signal 9, SIGKILL", retry.Status.Error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Traceback ...\nMemoryError", retry.Status.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenCall_NoPolicy_SinkFailedRuntimeError()
    {
        using var h = new ProcessorHarness();
        h.Runtime.Handler = (_, _, _) => BrokenAsync();
        h.Runtime.Exit = Crash with { ExitCode = 3 };
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        var failed = h.Single("x-sink");
        Assert.Equal(EnvelopeReason.RuntimeError, failed.Status!.Reason);
        Assert.Equal("asya.RuntimeCrashed", failed.Status.Error!.Type);
        Assert.Contains("exit code 3", failed.Status.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenCall_RuntimeKilledBySidecar_CalledAgainOnTheNextRuntime()
    {
        using var h = new ProcessorHarness();
        var calls = 0;
        h.Runtime.Handler = (envelope, onFrame, ct) => ++calls == 1 ? BrokenAsync() : FakeRuntime.EchoAsync(envelope, onFrame, ct);
        h.Runtime.Exit = Crash with { KilledBySidecar = true };
        var handling = h.HandleAsync(Envelopes.Create("e1", ["a"]));
        // The backoff before calling again waits on the fake clock.
        for (var step = 0; step < 1000 && !handling.IsCompleted; step++)
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await handling;
        Assert.Equal(2, h.Runtime.Invocations.Count);
        Assert.Equal(EnvelopePhase.Succeeded, h.Single("x-sink").Status!.Phase);
    }

    [Fact]
    public async Task BrokenCall_RuntimeStillRunning_NeverCalledAgainAttemptFailsThroughThePolicy()
    {
        // The envelope reached the runtime and the connection broke, but the process lives: its handler may be
        // running there, so sending it again would run it twice.
        using var h = new ProcessorHarness(resiliency: Retry(3));
        h.Runtime.Handler = (_, _, _) => BrokenAsync();
        h.Runtime.Exit = null;
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.Single(h.Runtime.Invocations);
        var retry = h.Single("a");
        Assert.Equal(EnvelopePhase.Retrying, retry.Status!.Phase);
        Assert.Equal(2, retry.Status.Attempt);
        Assert.Equal("asya.RuntimeConnectionLost", retry.Status.Error!.Type);
    }

    [Fact]
    public async Task UnreachableCall_CalledAgainWithoutCountingAnAttempt()
    {
        using var h = new ProcessorHarness(resiliency: Retry(3), runtimeReadyTimeout: TimeSpan.FromHours(1));
        using var called = new SemaphoreSlim(0);
        var calls = 0;
        h.Runtime.Handler = (envelope, onFrame, ct) =>
        {
            var call = Interlocked.Increment(ref calls);
            called.Release();
            return call < 3
                ? Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.Unreachable) { Exception = new IOException("connection refused") })
                : FakeRuntime.EchoAsync(envelope, onFrame, ct);
        };
        var handling = h.HandleAsync(Envelopes.Create("e1", ["a"]));

        // Fake time moves in small steps until the next call is made (the processor sits in its backoff meanwhile); the
        // runtime-ready deadline is out of reach, so a processor scheduled late cannot turn this into a give-up.
        Assert.True(await called.WaitAsync(TimeSpan.FromSeconds(30)), "the first runtime call was never made");
        for (var made = 2; made <= 3; made++)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!await called.WaitAsync(TimeSpan.FromMilliseconds(10)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"runtime call {made} never made");
                h.Time.Advance(TimeSpan.FromMilliseconds(100));
            }
        }

        await handling;
        Assert.Equal(3, h.Runtime.Invocations.Count);
        var done = h.Single("x-sink");
        Assert.Equal(EnvelopePhase.Succeeded, done.Status!.Phase);
        Assert.Equal(1, done.Status.Attempt);
    }

    [Fact]
    public async Task TimedOut_SlotReleasedOnlyAfterKillAndReadyAgain()
    {
        using var h = new ProcessorHarness();
        var gate = new RecordingGate(h.Runtime);
        h.Runtime.Handler = (_, _, _) => Task.FromResult(new RuntimeCallResult(RuntimeCallStatus.TimedOut) { HeldGate = gate });
        await h.HandleAsync(Envelopes.Create("e1", ["a"]));

        Assert.Equal(1, gate.KillsWhenReleased);
        Assert.Equal(2, gate.ReadyWaitsWhenReleased); // one before the call, one for the restarted runtime
        Assert.Equal(2, h.Runtime.ReadyWaits);
        Assert.Equal("asya.Timeout", h.Single("x-sink").Status!.Error!.Type);
    }

    private sealed class RecordingGate(FakeRuntime runtime) : IDisposable
    {
        public int KillsWhenReleased { get; private set; } = -1;

        public int ReadyWaitsWhenReleased { get; private set; } = -1;

        public void Dispose()
        {
            KillsWhenReleased = runtime.Kills;
            ReadyWaitsWhenReleased = runtime.ReadyWaits;
        }
    }
}
