using System.Diagnostics;
using System.Globalization;

namespace Asya.Testing.Processes;

/// <summary>
/// The real <c>asya-sidecar</c> process (<c>dotnet asya-sidecar.dll …</c>, built beside the test project), with its
/// stderr kept so a test can wait for a log line. Kill with SIGKILL or stop with SIGTERM (drain), as a supervisor would.
/// </summary>
public sealed class SidecarProcess : IDisposable
{
    private readonly Process _process;
    private readonly OutputLines _output = new();

    private SidecarProcess(Process process) => _process = process;

    /// <summary>The built <c>asya-sidecar.dll</c> of the configuration the tests run in (the test project must reference Asya.Sidecar.Host).</summary>
    public static string Dll => RepoPaths.Built("sidecar/Asya.Sidecar.Host", "asya-sidecar.dll", "Asya.Sidecar.Host");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the sidecar wrote to stderr (and stdout) so far.</summary>
    public string Stderr => _output.Text;

    /// <summary>Starts <c>dotnet asya-sidecar.dll args</c> with <paramref name="environment"/> added to the inherited one.</summary>
    public static SidecarProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var sidecar = new SidecarProcess(process);
        process.ErrorDataReceived += (_, e) => sidecar._output.Append(e.Data);
        process.OutputDataReceived += (_, e) => sidecar._output.Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return sidecar;
    }

    /// <summary>
    /// SIGKILL of the sidecar process; its runtime child too only with <paramref name="withChildren"/> (a fault test leaves
    /// it alone: whether a runtime outlives its killed sidecar is what it checks).
    /// </summary>
    public async Task KillAsync(bool withChildren = false)
    {
        try
        {
            _process.Kill(entireProcessTree: withChildren);
        }
        catch (InvalidOperationException)
        {
        }

        await WaitExitedAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM (the sidecar drains, stops its runtime and exits); SIGKILL and a failure when it is not gone by <paramref name="deadline"/>.</summary>
    public async Task<int> TerminateAsync(TimeSpan deadline)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        try
        {
            await WaitExitedAsync(deadline);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException($"sidecar pid {Id} did not exit within {deadline} of SIGTERM; stderr:\n{_output.Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until a stderr line matches; fails with the last lines after <paramref name="deadline"/>.</summary>
    public async Task WaitForStderrAsync(Func<string, bool> match, TimeSpan deadline, string what)
    {
        if (!await _output.WaitForAsync(match, deadline))
        {
            throw new TimeoutException($"no stderr line of sidecar pid {Id} showed {what} within {deadline}; stderr:\n{_output.Tail()}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    /// <summary>
    /// Waits for the process itself, not for its output streams: WaitForExitAsync also waits for stderr's end, which never
    /// comes while a child that outlived it (an orphaned runtime) still holds the pipe.
    /// </summary>
    private Task WaitExitedAsync(TimeSpan deadline) =>
        Eventually.TrueAsync(() => Task.FromResult(_process.HasExited), deadline, $"sidecar pid {Id} to exit");
}
