using Asya.Cli.Cli;
using Asya.Cli.Folder;
using Asya.Cli.Local;
using System.Threading.Channels;
using Asya.Runtime.Protocol;
using Asya.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Cli.Tests.Local;

/// <summary>Process supervision against a fake sidecar (a small Python script), so no real engine is needed.</summary>
public sealed class MeshSupervisorTests : IDisposable
{
    private static readonly string FakeSidecar = Path.Combine(AppContext.BaseDirectory, "Assets", "fake_sidecar.py");
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _stderr = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Starts <paramref name="start"/> and moves the fake clock by <paramref name="step"/> (default one readiness poll) until it ends.</summary>
    private static async Task<T> AdvanceUntilDoneAsync<T>(Func<Task<T>> start, FakeTimeProvider time, TimeSpan? step = null)
    {
        var task = start();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!task.IsCompleted && !deadline.IsCancellationRequested)
        {
            time.Advance(step ?? TimeSpan.FromMilliseconds(150));
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        }

        return await task.WaitAsync(TimeSpan.Zero);
    }

    private static LaunchOptions Options(TimeSpan? start = null, TimeSpan? stop = null) =>
        new(new SelfCommand(RepoPaths.Python, [FakeSidecar]), "python3", "unused")
        {
            StartTimeout = start ?? TimeSpan.FromSeconds(30),
            StopTimeout = stop ?? TimeSpan.FromSeconds(10),
        };

    private MeshFolder Mesh() => new(_dir.Path, "default", [], [], []);

    private SidecarLaunch Launch(string actor, string mode = "ok")
    {
        var port = FreePort.Next();
        return new SidecarLaunch(
            actor,
            ["sidecar", "--actor", actor, "--metrics-addr", $"127.0.0.1:{port}"],
            new Dictionary<string, string> { ["FAKE_MODE"] = mode, ["FAKE_MARKER_DIR"] = _dir.Path },
            port,
            _dir.Combine("sock", actor))
        { IsCrew = ActorNames.IsCrew(actor) };
    }

    [Fact]
    public async Task StartAsync_AllReady_ShowsProgressThenStopsEachWithSigterm()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("alpha")];

        await using (var supervisor = await MeshSupervisor.StartAsync(Mesh(), launches, Options(), _stderr, TimeProvider.System, CancellationToken.None))
        {
            await supervisor.StopAsync();
        }

        var text = _stderr.ToString();
        Assert.Contains("ready  alpha", text, StringComparison.Ordinal);
        Assert.Contains("all 3 sidecars ready", text, StringComparison.Ordinal);
        Assert.All(["x-sink", "x-sump", "alpha"], a => Assert.True(File.Exists(_dir.Combine(a + ".terminated")), a));
    }

    [Fact]
    public async Task StartAsync_ChildLogs_PrefixedByActorAndHopsCollected()
    {
        var seen = new WaitSignal();
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("alpha")];
        await using var supervisor = await MeshSupervisor.StartAsync(Mesh(), launches, Options(), _stderr, TimeProvider.System, CancellationToken.None);
        supervisor.HopHandled += hop =>
        {
            if (hop.Actor == "alpha")
            {
                seen.Pulse();
            }
        };
        if (!supervisor.Hops.Any(h => h.Actor == "alpha"))
        {
            await seen.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await supervisor.StopAsync();
        var text = _stderr.ToString();
        Assert.Contains("alpha  | warn: fake warning from alpha", text, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", text, StringComparison.Ordinal);
        Assert.Contains(supervisor.Hops, h => h == new HopEvent("e-1", "alpha", "Routed", "x-sink", 1.5));
    }

    [Fact]
    public async Task StartAsync_ChildExitsEarly_FailsNamingActorWithLastLines()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("broken", "crash")];

        var ex = await Assert.ThrowsAsync<CliException>(() => MeshSupervisor.StartAsync(Mesh(), launches, Options(), _stderr, TimeProvider.System, CancellationToken.None));

        Assert.Equal(ExitCodes.Failed, ex.ExitCode);
        Assert.Contains("actor 'broken' did not start: exited with code 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("crit: loading handler failed: boom", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Traceback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MetricsPortTaken_RestartsOnAnotherPort()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("unlucky", "port-taken-once")];

        await using var supervisor = await MeshSupervisor.StartAsync(Mesh(), launches, Options(), _stderr, TimeProvider.System, CancellationToken.None);

        Assert.True(File.Exists(_dir.Combine("unlucky.port-taken")));
        Assert.Contains("ready  unlucky", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RuntimeKeepsFailing_FailsBeforeDeadlineShowingHandlerError()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("bad", "runtime-fails")];

        var ex = await Assert.ThrowsAsync<CliException>(() => MeshSupervisor.StartAsync(Mesh(), launches, Options(start: TimeSpan.FromMinutes(5)), _stderr, TimeProvider.System, CancellationToken.None));

        Assert.Contains("actor 'bad' did not start: its runtime exited 3 times while starting", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SyntaxError", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NeverReady_FailsAtDeadlineNamingActor()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("slow", "never-ready")];

        var ex = await Assert.ThrowsAsync<CliException>(() => MeshSupervisor.StartAsync(Mesh(), launches, Options(start: TimeSpan.FromSeconds(3)), _stderr, TimeProvider.System, CancellationToken.None));

        Assert.Contains("actor 'slow' did not start: not ready after 3s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SidecarExitsWhileRunning_RestartedWithDoublingBackoffThenGivesUpNamingActor()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("fragile", "dies-later")];
        await using var supervisor = await AdvanceUntilDoneAsync(
            () => MeshSupervisor.StartAsync(Mesh(), launches, Options(start: TimeSpan.FromHours(1)), _stderr, time, CancellationToken.None), time);
        var delays = Channel.CreateUnbounded<TimeSpan>();
        supervisor.RestartScheduled += (actor, delay) => delays.Writer.TryWrite(delay);

        await File.WriteAllTextAsync(_dir.Combine("fragile.die"), "");
        var seen = new List<TimeSpan>();
        while (!supervisor.GaveUp.IsCompleted)
        {
            // A deadline, not a threshold: each restart starts a real process, which takes long on a loaded machine.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var next = delays.Reader.ReadAsync(wait.Token).AsTask();
            if (await Task.WhenAny(next, supervisor.GaveUp) == next)
            {
                seen.Add(await next);

                // Exactly the scheduled delay, so every exit stays inside the give-up window.
                time.Advance(await next);
            }
        }

        var error = await supervisor.GaveUp;
        Assert.Equal(ExitCodes.Failed, error.ExitCode);
        Assert.Contains("actor 'fragile' stopped: its sidecar exited 5 times within 60s (last exit code 4); giving up", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot start: broken after the first run", error.Message, StringComparison.Ordinal);
        Assert.Equal([0.5, 1, 2, 4], seen.Select(d => d.TotalSeconds));
        Assert.Contains("fragile: sidecar exited with code 5; restarting in 0.5s (restart 1", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NeverReadyOnTheInjectedClock_FailsAtItsDeadline()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        SidecarLaunch[] launches = [Launch("x-sink", "never-ready"), Launch("x-sump", "never-ready"), Launch("slow", "never-ready")];

        var ex = await Assert.ThrowsAsync<CliException>(() => AdvanceUntilDoneAsync(
            () => MeshSupervisor.StartAsync(Mesh(), launches, Options(start: TimeSpan.FromMinutes(10)), _stderr, time, CancellationToken.None), time, TimeSpan.FromSeconds(30)));

        Assert.Contains("actor 'x-sink' did not start: not ready after 600s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CrewFromThePlan_CountsOnlyTheOtherLaunchesAsActors()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("alpha"), Launch("beta")];
        launches[1] = launches[1] with { IsCrew = false };

        await using (var supervisor = await MeshSupervisor.StartAsync(Mesh(), launches, Options(), _stderr, TimeProvider.System, CancellationToken.None))
        {
            await supervisor.StopAsync();
        }

        Assert.Contains("starting 3 actor(s) + crew", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RestartDelay_DoublesPerRecentExitUpToTheCap()
    {
        Assert.Equal(
            [0.5, 1, 2, 4, 8, 16, 30, 30],
            Enumerable.Range(1, 8).Select(n => MeshSupervisor.RestartDelay(n).TotalSeconds));
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresSigterm_IsKilledAfterGrace()
    {
        SidecarLaunch[] launches = [Launch("x-sink"), Launch("x-sump"), Launch("stubborn", "stubborn")];
        var supervisor = await MeshSupervisor.StartAsync(Mesh(), launches, Options(stop: TimeSpan.FromSeconds(1)), _stderr, TimeProvider.System, CancellationToken.None);

        await supervisor.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await supervisor.DisposeAsync();

        Assert.False(File.Exists(_dir.Combine("stubborn.terminated")));
        Assert.True(File.Exists(_dir.Combine("x-sink.terminated")));
    }
}
