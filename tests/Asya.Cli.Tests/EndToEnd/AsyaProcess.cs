using System.Diagnostics;
using System.Text;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>The built CLI (<c>dotnet asya.dll</c>) as a child process, with a deadline.</summary>
internal sealed class AsyaProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Done)> _waiters = [];

    private AsyaProcess(Process process) => _process = process;

    public static string Dll => typeof(CliApp).Assembly.Location;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static AsyaProcess Start(IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new AsyaProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to completion; kills and fails the test when <paramref name="deadline"/> passes.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan deadline, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var child = Start(env, args);
        var code = await child.WaitForExitAsync(deadline);
        return (code, child.Stdout, child.Stderr);
    }

    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"asya did not exit within {deadline}; stderr:\n{Stderr}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until a stderr line matches; fails with the output so far after <paramref name="deadline"/>.</summary>
    public async Task WaitForStderrAsync(Func<string, bool> match, TimeSpan deadline)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stderr.ToString().Split('\n').Any(match))
            {
                return;
            }

            _waiters.Add((match, done));
        }

        try
        {
            await done.Task.WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no matching stderr line within {deadline}; stderr:\n{Stderr}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
            if (ReferenceEquals(target, _stderr))
            {
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
