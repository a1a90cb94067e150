using System.Diagnostics;

namespace Asya.Cli.Local;

/// <summary>
/// A supervised child: output lines go to a callback as they arrive, the last ones are kept for error reports, and
/// stopping is SIGTERM first, kill (whole tree) after a bound.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 30;

    // How long an exit waits for the child's last output lines: its final error line is what the user needs to read,
    // but a leftover grandchild holding the pipes open must not hold the exit back.
    private static readonly TimeSpan OutputDrainBound = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ChildProcess, string> _onLine;
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, Action<ChildProcess, string> onLine, bool ownSession)
    {
        Name = name;
        _process = process;
        _onLine = onLine;
        OwnSession = ownSession;
    }

    /// <summary>Started through setsid: it leads its own session and process group (group id = its pid).</summary>
    public bool OwnSession { get; }

    public string Name { get; }

    private static string? Setsid { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process exited.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        Action<ChildProcess, string> onLine,
        bool ownSession = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);

        // In its own session a child does not get the terminal's Ctrl-C; the supervisor stops children in order
        // instead (users first, crew last). setsid execs in place here (we are not a group leader), so the pid stays.
        var useSetsid = ownSession && Setsid is not null;
        var info = new ProcessStartInfo(useSetsid ? Setsid! : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (useSetsid)
        {
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, onLine, useSetsid);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, child._stdoutClosed);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, child._stderrClosed);

        // Not WaitForExitAsync: it waits for the output pipes to close without a bound, and a leftover grandchild can
        // hold them open. The exit is reported once the pipes are drained or the bound passed, so the last lines are in.
        process.Exited += (_, _) => _ = child.ReportExitAsync(process.ExitCode);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw Cli.CliException.Failed($"{name}: cannot start {fileName}: {ex.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the child wrote, oldest first.</summary>
    public IReadOnlyList<string> LastLines()
    {
        lock (_gate)
        {
            return [.. _lastLines];
        }
    }

    /// <summary>SIGTERM, then wait up to <paramref name="grace"/>, then kill the whole tree. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace, TimeProvider time)
    {
        if (!HasExited)
        {
            NativeSignals.Terminate(_process.Id);
            try
            {
                return await Exited.WaitAsync(grace, time);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        try
        {
            return await Exited.WaitAsync(TimeSpan.FromSeconds(5), time);
        }
        catch (TimeoutException)
        {
            return -1;
        }
    }

    /// <summary>
    /// After the child exited: SIGKILL what is left of its process group (e.g. the runtime a SIGKILLed sidecar started).
    /// </summary>
    public void KillGroup()
    {
        if (OwnSession && HasExited)
        {
            NativeSignals.KillGroup(_process.Id);
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task ReportExitAsync(int exitCode)
    {
        var drained = Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task);
        await Task.WhenAny(drained, Task.Delay(OutputDrainBound));
        _exited.TrySetResult(exitCode);
    }

    private void OnLine(string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }

        _onLine(this, line);
    }
}
