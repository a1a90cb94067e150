using System.Diagnostics;

namespace Asya.Cli.Local;

/// <summary>
/// A supervised child: output lines go to a callback as they arrive, the last ones are kept for error reports, and
/// stopping is SIGTERM first, kill (whole tree) after a bound.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 30;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ChildProcess, string> _onLine;

    private ChildProcess(string name, Process process, Action<ChildProcess, string> onLine)
    {
        Name = name;
        _process = process;
        _onLine = onLine;
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process and its output streams ended.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        Action<ChildProcess, string> onLine)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, onLine);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
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
        _ = child.WatchAsync();
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
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            NativeSignals.Terminate(_process.Id);
            try
            {
                return await Exited.WaitAsync(grace);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        try
        {
            return await Exited.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return -1;
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

    private void OnLine(string? line)
    {
        if (line is null)
        {
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

    private async Task WatchAsync()
    {
        // WaitForExitAsync also waits for the redirected streams to reach end of file, so no line is lost.
        await _process.WaitForExitAsync();
        _exited.TrySetResult(_process.ExitCode);
    }
}
