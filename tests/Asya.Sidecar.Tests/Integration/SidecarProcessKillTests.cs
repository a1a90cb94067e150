using System.Diagnostics;
using Asya.Components;
using Asya.Components.Abstractions;
using Asya.Sidecar.Hosting;
using Asya.Testing;
using Asya.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Asya.Sidecar.Tests.Integration;

/// <summary>The real asya-sidecar process on the real SQLite transport, killed with SIGKILL mid-run and restarted.</summary>
public sealed class SidecarProcessKillTests(ITestOutputHelper output)
{
    private const int Count = 1000;
    private const string Ns = "k";

    [Fact]
    public async Task SidecarKilledMidRun_RestartedSidecarDeliversEverything()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(110));
        var ct = cancel.Token;
        await File.WriteAllTextAsync(dir.Combine(Handlers.Module + ".py"), Handlers.Source, ct);
        var data = dir.Combine("data");
        var db = Path.Combine(data, "asya.db");

        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddAsyaComponents()
            .AddSqliteComponents()
            .BuildServiceProvider();
        var registry = services.GetRequiredService<ComponentRegistry>();
        await using var transport = await LoadedComponents.CreateAsync<ITransport>(
            registry, services, ComponentSpec.Create("q", "pubsub.sqlite", ("connectionString", db)), ct);
        await using var store = await LoadedComponents.CreateAsync<IStateStore>(
            registry, services, ComponentSpec.Create("s", "state.sqlite", ("connectionString", db), ("tableName", "asya_results")), ct);
        if (transport is IQueueAdmin admin)
        {
            await admin.EnsureQueueAsync(new QueueSpec($"asya-{Ns}-echo"), ct);
        }

        var ids = Enumerable.Range(0, Count).Select(i => $"kill9-{i:D4}").ToList();
        foreach (var id in ids)
        {
            await transport.SendAsync($"asya-{Ns}-echo", new OutgoingMessage(Fakes.Envelopes.Create(id, ["echo"]).ToUtf8Bytes()), ct);
        }

        using var stopSink = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sink = Task.Run(() => SidecarProgram.RunAsync(
            ["--actor", "x-sink", "--builtin", "x-sink", "--namespace", Ns, "--data-dir", data, "--metrics-addr", "off", "--log-level", "warn"],
            new Dictionary<string, string>(),
            ManifestComponents.CreateAsync,
            configure: null,
            stopSink.Token));

        var remaining = new HashSet<string>(ids, StringComparer.Ordinal);
        var first = StartSidecar(dir, data);
        try
        {
            await WaitDeliveredAsync(store, remaining, Count - 100, ct);
            await first.KillAsync(withChildren: true);
            var depth = await ((IQueueDepthSource)transport).GetQueueDepthAsync($"asya-{Ns}-echo", ct);
            await WaitDeliveredAsync(store, remaining, Count, ct);
            output.WriteLine($"killed the first sidecar with {depth.Total} envelopes on the actor queue ({depth.InFlight} in flight) and {remaining.Count} not in the result store");
            Assert.True(depth.Total > 0, "the first sidecar finished before it was killed: nothing was left for the restarted one");
        }
        finally
        {
            first.Dispose();
        }

        var exitCode = -1;
        var second = StartSidecar(dir, data);
        var watch = Stopwatch.StartNew();
        try
        {
            await WaitDeliveredAsync(store, remaining, 0, ct);
            output.WriteLine($"the restarted sidecar delivered the rest in {watch.ElapsedMilliseconds} ms");
        }
        finally
        {
            // SIGTERM: the sidecar drains, stops its runtime and exits 0.
            exitCode = await second.TerminateAsync(TimeSpan.FromSeconds(30));
            second.Dispose();
            await stopSink.CancelAsync();
            await sink.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        Assert.Empty(remaining);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task SidecarKilledAlone_ItsRuntimeDoesNotOutliveIt()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = cancel.Token;
        await File.WriteAllTextAsync(dir.Combine(Handlers.Module + ".py"), Handlers.Source, ct);
        var ready = Path.Combine(dir.Combine("s"), "runtime-ready");
        using var sidecar = StartSidecar(dir, dir.Combine("data"));
        var runtimePid = 0;
        try
        {
            await Eventually.TrueAsync(
                async () => File.Exists(ready) && await File.ReadAllLinesAsync(ready, ct) is [_, var pid, ..] && int.TryParse(pid, out runtimePid),
                TimeSpan.FromSeconds(60),
                "the runtime never wrote its ready file with a pid");

            // SIGKILL of the sidecar only: nothing of the sidecar's own code runs to stop the runtime.
            await sidecar.KillAsync(withChildren: false);
            await Eventually.TrueAsync(
                async () => await IsGoneAsync(runtimePid, ct),
                TimeSpan.FromSeconds(20),
                $"runtime pid {runtimePid} outlived its SIGKILLed sidecar");
        }
        finally
        {
            if (runtimePid > 0 && Directory.Exists($"/proc/{runtimePid}"))
            {
                using var kill = Process.Start("kill", ["-KILL", runtimePid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Exited, or a zombie waiting for its new parent to reap it.</summary>
    private static async Task<bool> IsGoneAsync(int pid, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllTextAsync($"/proc/{pid}/stat", cancellationToken)).Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    private static async Task WaitDeliveredAsync(IStateStore store, HashSet<string> remaining, int untilAtMost, CancellationToken cancellationToken)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                foreach (var id in remaining.ToList())
                {
                    if (await store.GetAsync(id, cancellationToken) is not null)
                    {
                        remaining.Remove(id);
                    }
                }

                return remaining.Count <= untilAtMost;
            },
            TimeSpan.FromSeconds(90),
            $"at most {untilAtMost} of {Count} envelopes missing from the result store");
    }

    private static SidecarProcess StartSidecar(TempDirectory dir, string data)
    {
        var runtime = $"env ASYA_HANDLER={Handlers.Module}.echo_slow PYTHONPATH={dir.Path} ASYA_TEST_DIR={dir.Path} {RepoPaths.Python} {RepoPaths.PythonRuntime}";
        return SidecarProcess.Start(
        [
            "--actor", "echo", "--namespace", Ns, "--data-dir", data, "--socket-dir", dir.Combine("s"),
            "--runtime-command", runtime, "--metrics-addr", "off", "--lease", "2s", "--concurrency", "4", "--log-level", "warn",
        ]);
    }
}
