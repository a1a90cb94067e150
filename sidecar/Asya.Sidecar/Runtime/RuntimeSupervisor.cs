using System.Diagnostics;
using Asya.Sidecar.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Runtime;

/// <summary>Local mode: starts the runtime command, restarts it whenever it exits, stops it with the sidecar.</summary>
internal sealed class RuntimeSupervisor(SidecarOptions options, TimeProvider timeProvider, ILogger<RuntimeSupervisor> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private Process? _process;

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
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
            RemoveStaleFiles();
            var started = timeProvider.GetUtcNow();
            Process process;
            try
            {
                process = Start();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                logger.RuntimeStartFailed(options.RuntimeCommand!, ex.Message);
                failures++;
                await DelayAsync(failures, stoppingToken);
                continue;
            }

            lock (_gate)
            {
                _process = process;
            }

            logger.RuntimeStarted(options.RuntimeCommand!, process.Id);
            try
            {
                await process.WaitForExitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            logger.RuntimeExited(process.Id, process.ExitCode);
            lock (_gate)
            {
                _process = null;
            }

            process.Dispose();
            failures = timeProvider.GetUtcNow() - started > TimeSpan.FromSeconds(10) ? 0 : failures + 1;
            await DelayAsync(failures, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Process? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
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

    private Process Start()
    {
        Directory.CreateDirectory(options.SocketDirectory);
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + options.RuntimeCommand);
        info.Environment["ASYA_SOCKET_DIR"] = options.SocketDirectory;
        return Process.Start(info) ?? throw new InvalidOperationException("the runtime process did not start");
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
        // The first restart is immediate-ish; repeated crashes back off so a broken handler does not spin a CPU.
        var delay = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, Math.Max(0, failures - 1)), 10_000));
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
