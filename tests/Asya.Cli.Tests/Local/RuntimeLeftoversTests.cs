using System.Diagnostics;
using Asya.Cli.Local;
using Asya.Testing;

namespace Asya.Cli.Tests.Local;

public sealed class RuntimeLeftoversTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Stop_ReadyFileOfLiveRuntime_TerminatesIt()
    {
        using var dir = new TempDirectory();
        await using var runtime = await SignalProbe.StartAsync(dir.Combine("asya_runtime.py"));
        await WriteReadyFileAsync(dir, runtime.Pid);

        RuntimeLeftovers.Stop(dir.Path, "/elsewhere/asya_runtime.py");

        Assert.Equal("TERM", await runtime.NextLineAsync());
    }

    [Fact]
    public async Task Stop_PidOfAnotherProgram_LeavesItAlone()
    {
        using var dir = new TempDirectory();
        await using var other = await SignalProbe.StartAsync(dir.Combine("something_else.py"));
        await WriteReadyFileAsync(dir, other.Pid);

        RuntimeLeftovers.Stop(dir.Path, "/repo/runtime/python/asya_runtime.py");

        Assert.Equal("not signalled", await other.SignalsSinceAsync());
    }

    [Fact]
    public async Task Stop_NoReadyFile_LeavesRunningRuntimesAlone()
    {
        // A runtime of another actor (or another checkout) runs under the same file name; without a ready file there
        // is no pid, and nothing may be signalled by name.
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        await using var runtime = await SignalProbe.StartAsync(elsewhere.Combine("asya_runtime.py"));

        RuntimeLeftovers.Stop(dir.Path, "asya_runtime.py");

        Assert.Equal("not signalled", await runtime.SignalsSinceAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    private static Task WriteReadyFileAsync(TempDirectory dir, int pid) =>
        File.WriteAllTextAsync(dir.Combine(RuntimeLeftovers.ReadyFileName), $"ready\n{pid}\n");

    /// <summary>
    /// A Python process that reports the signals it gets on stdout instead of dying, so a test can tell "not signalled"
    /// from "not dead yet": after the code under test ran, the test sends SIGWINCH itself; pending signals are handled in
    /// signal-number order, so a SIGTERM (15) already sent is reported before the SIGWINCH (28) marker.
    /// </summary>
    private sealed class SignalProbe : IAsyncDisposable
    {
        private readonly Process _process;

        private SignalProbe(Process process) => _process = process;

        public int Pid { get; private set; }

        public static async Task<SignalProbe> StartAsync(string scriptPath)
        {
            await File.WriteAllTextAsync(scriptPath, """
                import os, signal, sys, time
                def report(name):
                    def handler(signum, frame):
                        print(name, flush=True)
                    return handler
                signal.signal(signal.SIGTERM, report("TERM"))
                signal.signal(signal.SIGWINCH, report("WINCH"))
                print(os.getpid(), flush=True)
                while True:
                    time.sleep(60)
                """);
            var info = new ProcessStartInfo(RepoPaths.Python) { UseShellExecute = false, RedirectStandardOutput = true };
            info.ArgumentList.Add(scriptPath);
            var probe = new SignalProbe(Process.Start(info)!);
            // Its own pid (python3 may be a launcher shim that execs the interpreter), once the handlers are installed.
            probe.Pid = int.Parse(await probe.NextLineAsync(), System.Globalization.CultureInfo.InvariantCulture);
            return probe;
        }

        public async Task<string> NextLineAsync()
        {
            using var deadline = new CancellationTokenSource(Patience);
            return await _process.StandardOutput.ReadLineAsync(deadline.Token) ?? "(exited)";
        }

        /// <summary>"not signalled", or the first signal the process reported before the test's own SIGWINCH.</summary>
        public async Task<string> SignalsSinceAsync()
        {
            using (var kill = Process.Start("kill", ["-WINCH", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var line = await NextLineAsync();
            return line == "WINCH" ? "not signalled" : line;
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
