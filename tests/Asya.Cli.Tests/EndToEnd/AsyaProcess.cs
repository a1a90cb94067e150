using System.Diagnostics;
using Asya.Testing.Processes;

namespace Asya.Cli.Tests.EndToEnd;

/// <summary>The built CLI (<c>dotnet asya.dll</c>) as a child process, with a deadline.</summary>
internal sealed class AsyaProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputLines _stdout = new();
    private readonly OutputLines _stderr = new();

    private AsyaProcess(Process process) => _process = process;

    public static string Dll => typeof(CliApp).Assembly.Location;

    public string Stdout => _stdout.Text;

    public string Stderr => _stderr.Text;

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
        process.OutputDataReceived += (_, e) => child._stdout.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child._stderr.Append(e.Data);
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
        if (!await _stderr.WaitForAsync(match, deadline))
        {
            throw new TimeoutException($"no matching stderr line within {deadline}; stderr:\n{Stderr}");
        }
    }

    /// <summary>Waits until a stdout line matches; fails with the output so far after <paramref name="deadline"/>.</summary>
    public async Task WaitForStdoutAsync(Func<string, bool> match, TimeSpan deadline)
    {
        if (!await _stdout.WaitForAsync(match, deadline))
        {
            throw new TimeoutException($"no matching stdout line within {deadline}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
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
}
