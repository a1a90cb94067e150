using System.Diagnostics;
using System.Globalization;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The controller on a fake clock: "not ready" is a verdict at a moment, never a race with a short timeout.</summary>
public sealed class RuntimeControllerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task KillAsync_KubernetesMode_KillsPidFromReadyFileAndIgnoresItsStaleReadyFile()
    {
        using var dir = new TempDirectory();
        using var victim = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        await File.WriteAllTextAsync(options.ReadyFilePath, $"ready\n{victim.Id.ToString(CultureInfo.InvariantCulture)}\n");
        var runtime = new FakeRuntime();
        using var controller = new RuntimeController(options, runtime, _time, NullLogger<RuntimeController>.Instance);
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        await controller.KillAsync(CancellationToken.None);

        await victim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(controller.IsReady);
        // Its leftover ready file names the killed pid: not ready, at once (a zero timeout is one probe).
        Assert.False(await controller.WaitReadyAsync(TimeSpan.Zero, CancellationToken.None));
        await File.WriteAllTextAsync(options.ReadyFilePath, "ready\n999999\n");
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task WaitReadyAsync_NoReadyFile_FalseAfterTimeout()
    {
        using var dir = new TempDirectory();
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        using var controller = new RuntimeController(options, new FakeRuntime(), _time, NullLogger<RuntimeController>.Instance);
        var timeout = TimeSpan.FromSeconds(5);
        var started = _time.GetUtcNow();

        var waiting = controller.WaitReadyAsync(timeout, CancellationToken.None);
        // Moves the fake clock on in poll-sized steps until the wait gives up; a bound on real time only stops a hang.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!waiting.IsCompleted)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, hang.Token);
        }

        Assert.False(await waiting);
        Assert.True(_time.GetUtcNow() - started >= timeout, $"gave up after {_time.GetUtcNow() - started} of fake time, before its {timeout} timeout");
    }

    [Fact]
    public async Task WaitReadyAsync_ReadyFileWithoutPidAfterKill_ReadyOnceHealthy()
    {
        // The upstream runtime writes only "ready": after a kill its successor's file looks the same, so health decides.
        using var dir = new TempDirectory();
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        await File.WriteAllTextAsync(options.ReadyFilePath, "ready");
        var runtime = new FakeRuntime();
        using var controller = new RuntimeController(options, runtime, _time, NullLogger<RuntimeController>.Instance);
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        await controller.KillAsync(CancellationToken.None);
        Assert.False(controller.IsReady);
        runtime.Ready = false;
        Assert.False(await controller.WaitReadyAsync(TimeSpan.Zero, CancellationToken.None));

        runtime.Ready = true;
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }
}
