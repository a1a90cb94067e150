using System.Diagnostics;
using System.Globalization;
using Asya.Sidecar.Configuration;
using Microsoft.Extensions.Logging;

namespace Asya.Sidecar.Runtime;

/// <summary>
/// Readiness = ready file present (and not left by a runtime we killed) + <c>/healthz</c> answers 200.
/// Kill goes through the local supervisor when the sidecar started the runtime, else to the PID in the ready file.
/// </summary>
internal sealed class RuntimeController(
    SidecarOptions options,
    IRuntimeClient client,
    TimeProvider timeProvider,
    ILogger<RuntimeController> logger,
    RuntimeSupervisor? supervisor = null) : IRuntimeController, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _probe = new(1, 1);
    private volatile bool _ready;
    private int _killedPid;

    public bool IsReady => _ready;

    public void MarkUnready() => _ready = false;

    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return true;
        }

        var deadline = timeProvider.GetUtcNow() + timeout;
        await _probe.WaitAsync(cancellationToken);
        try
        {
            while (!_ready)
            {
                // A PID tells the killed runtime's leftover file apart from its successor's; a runtime that writes no PID
                // (the upstream one) is judged by /healthz alone, which a killed process cannot answer.
                if (ReadyFilePid() is { } pid && (pid <= 0 || pid != Volatile.Read(ref _killedPid)) && await client.IsHealthyAsync(cancellationToken))
                {
                    _ready = true;
                    logger.RuntimeReady(options.SocketPath, pid);
                    break;
                }

                if (timeProvider.GetUtcNow() >= deadline)
                {
                    return false;
                }

                await Task.Delay(PollInterval, timeProvider, cancellationToken);
            }

            return true;
        }
        finally
        {
            _probe.Release();
        }
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _ready = false;
        var pid = ReadyFilePid() ?? 0;
        Volatile.Write(ref _killedPid, pid);
        if (supervisor is not null)
        {
            await supervisor.KillAsync(cancellationToken);
            return;
        }

        if (pid <= 0)
        {
            logger.RuntimePidUnknown(options.ReadyFilePath);
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            logger.RuntimeKilled(pid);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            logger.RuntimeKillFailed(pid, ex.Message);
        }
    }

    public long Generation => supervisor?.Generation ?? 0;

    public async Task<RuntimeExit?> ExitOfAsync(long generation, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (supervisor is not null)
        {
            try
            {
                return await supervisor.ExitOfAsync(generation).WaitAsync(wait, timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        // Kubernetes: the runtime is another container; all we can see is whether the PID in its ready file is gone.
        if (ReadyFilePid() is not { } pid || pid <= 0)
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? new RuntimeExit(pid, null, pid == Volatile.Read(ref _killedPid), []) : null;
        }
        catch (ArgumentException)
        {
            return new RuntimeExit(pid, null, pid == Volatile.Read(ref _killedPid), []);
        }
    }

    /// <summary>The PID on the ready file's second line; -1 when the file exists without one, null when there is no file.</summary>
    private int? ReadyFilePid()
    {
        try
        {
            var lines = File.ReadAllLines(options.ReadyFilePath);
            if (lines.Length == 0 || lines[0].Trim() != "ready")
            {
                return null;
            }

            return lines.Length > 1 && int.TryParse(lines[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : -1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _probe.Dispose();
}
