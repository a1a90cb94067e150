using System.Diagnostics;
using Asya.Components.Abstractions;
using Asya.Hosting.Health;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Runtime;

/// <summary>
/// Local mode: starts the runtime command, restarts it whenever it exits, stops it with the sidecar. Each start is a
/// generation; how each generation ended (exit code, killed by us or not, last stderr lines) is kept so a call that
/// broke can tell "the runtime died under this envelope" from "the runtime is not up yet".
/// </summary>
internal sealed class RuntimeSupervisor(SidecarOptions options, TimeProvider timeProvider, LoopHeartbeats heartbeats, ILogger<RuntimeSupervisor> logger)
    : BackgroundService
{
    /// <summary>Stderr lines kept per runtime process for crash reports.</summary>
    public const int StderrTailLines = 20;

    /// <summary>Waits before restarting the runtime: 100 ms, 200 ms, 400 ms, … at most 10 s.</summary>
    public static readonly Backoff RestartBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

    /// <summary>
    /// Longest step of the supervisor loop before <c>/readyz</c> calls it stuck: starting a process takes moments and the
    /// longest restart wait is 10 s. While the runtime runs the loop is idle.
    /// </summary>
    public static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(30);

    private readonly LoopHeartbeat _heartbeat = heartbeats.Add("runtime-supervisor", StepDeadline);
    private readonly Lock _gate = new();
    private readonly Dictionary<long, TaskCompletionSource<RuntimeExit>> _exits = [];
    private Process? _process;
    private long _generation;
    private bool _killRequested;

    /// <summary>Generation of the process running now (or of the next one, while none runs).</summary>
    public long Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation;
            }
        }
    }

    /// <summary>How generation <paramref name="generation"/> ended; completes when that process has exited.</summary>
    public Task<RuntimeExit> ExitOfAsync(long generation)
    {
        lock (_gate)
        {
            return ExitSource(generation).Task;
        }
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
            _killRequested = true;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            var pid = process.Id;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            logger.RuntimeKilled(pid);
        }
        catch (InvalidOperationException)
        {
            // Already gone: the supervisor loop restarts it anyway.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            _heartbeat.Beat();
            RemoveStaleFiles();
            var started = timeProvider.GetUtcNow();
            var stderr = new Queue<string>();
            Process process;
            try
            {
                process = Start(stderr);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                logger.RuntimeStartFailed(options.RuntimeCommand!, ex.Message);
                failures++;
                await DelayAsync(failures, stoppingToken);
                continue;
            }

            long generation;
            lock (_gate)
            {
                _process = process;
                _killRequested = false;
                generation = ++_generation;
            }

            logger.RuntimeStarted(options.RuntimeCommand!, process.Id);
            _heartbeat.Idle();
            try
            {
                // Also waits for the redirected stderr to reach its end, so the tail is complete.
                await process.WaitForExitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _heartbeat.Beat();
            RuntimeExit exit;
            lock (_gate)
            {
                string[] tail;
                lock (stderr)
                {
                    tail = [.. stderr];
                }

                exit = new RuntimeExit(process.Id, process.ExitCode, _killRequested, tail);
                _process = null;
                ExitSource(generation).TrySetResult(exit);
                _exits.Remove(generation - 8);
            }

            logger.RuntimeExited(exit.Pid, exit.Describe());
            process.Dispose();
            failures = timeProvider.GetUtcNow() - started > TimeSpan.FromSeconds(10) ? 0 : failures + 1;
            await DelayAsync(failures, stoppingToken);
        }

        _heartbeat.Idle();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
            _killRequested = true;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            process.Dispose();
            RemoveStaleFiles();
        }
    }

    private TaskCompletionSource<RuntimeExit> ExitSource(long generation)
    {
        if (!_exits.TryGetValue(generation, out var source))
        {
            _exits[generation] = source = new TaskCompletionSource<RuntimeExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return source;
    }

    private Process Start(Queue<string> stderr)
    {
        Directory.CreateDirectory(options.SocketDirectory);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + options.RuntimeCommand);
        info.Environment["ASYA_SOCKET_DIR"] = options.SocketDirectory;
        // The runtime watches this pid and exits when it is gone: a sidecar killed with SIGKILL cannot stop it itself.
        info.Environment["ASYA_PARENT_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment[ProtocolJson.MaxDepthVariable] = options.MaxJsonDepth.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = info };
        // The runtime's stderr still reaches ours line by line; the last lines are kept for the crash report.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            Console.Error.WriteLine(line);
            lock (stderr)
            {
                stderr.Enqueue(line);
                if (stderr.Count > StderrTailLines)
                {
                    stderr.Dequeue();
                }
            }
        };
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException("the runtime process did not start");
        }

        process.BeginErrorReadLine();
        return process;
    }

    private void RemoveStaleFiles()
    {
        TryDelete(options.ReadyFilePath);
        TryDelete(options.SocketPath);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private async Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        // The first restart is immediate-ish (also after a long run, failures 0); repeated crashes back off so a broken
        // handler does not spin a CPU.
        var delay = RestartBackoff.After(Math.Max(1, failures));
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
