using System.Diagnostics;
using Asya.Cli.Local;
using Asya.Testing;

namespace Asya.Cli.Tests.Local;

public sealed class RuntimeLeftoversTests
{
    private static Process StartPython(string script)
    {
        var info = new ProcessStartInfo(RepoPaths.Python) { UseShellExecute = false };
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }

    [Fact]
    public async Task Stop_ReadyFileOfLiveRuntime_TerminatesIt()
    {
        using var dir = new TempDirectory();
        var runtime = dir.Combine("asya_runtime.py");
        var ready = dir.Combine("runtime-ready");

        // Like the real runtime, it writes its own pid (python3 may be a launcher shim that execs the interpreter).
        await File.WriteAllTextAsync(runtime, $"import os, time\nopen('{ready}', 'w').write('ready\\n%d\\n' % os.getpid())\ntime.sleep(60)\n");
        using var process = StartPython(runtime);
        await Eventually.TrueAsync(async () => File.Exists(ready) && (await File.ReadAllTextAsync(ready)).Split('\n').Length >= 3, TimeSpan.FromSeconds(20), "the ready file");

        RuntimeLeftovers.Stop(dir.Path, "/elsewhere/asya_runtime.py");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(cts.Token);
    }

    [Fact]
    public async Task Stop_PidOfAnotherProgram_LeavesItAlone()
    {
        using var dir = new TempDirectory();
        var other = dir.Combine("something_else.py");
        await File.WriteAllTextAsync(other, "import time\ntime.sleep(60)\n");
        using var process = StartPython(other);
        try
        {
            await File.WriteAllTextAsync(dir.Combine("runtime-ready"), $"ready\n{process.Id}\n");

            RuntimeLeftovers.Stop(dir.Path, "/repo/runtime/python/asya_runtime.py");

            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public void Stop_NoReadyFile_DoesNothing()
    {
        using var dir = new TempDirectory();

        RuntimeLeftovers.Stop(dir.Path, "asya_runtime.py");
    }
}
