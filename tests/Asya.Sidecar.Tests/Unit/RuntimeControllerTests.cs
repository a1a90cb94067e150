using System.Diagnostics;
using System.Globalization;
using Asya.Sidecar.Configuration;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Asya.Sidecar.Tests.Unit;

public sealed class RuntimeControllerTests
{
    [Fact]
    public async Task KillAsync_KubernetesMode_KillsPidFromReadyFileAndIgnoresItsStaleReadyFile()
    {
        using var dir = new TempDirectory();
        using var victim = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        await File.WriteAllTextAsync(options.ReadyFilePath, $"ready\n{victim.Id.ToString(CultureInfo.InvariantCulture)}\n");
        var runtime = new FakeRuntime();
        using var controller = new RuntimeController(options, runtime, TimeProvider.System, NullLogger<RuntimeController>.Instance);
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        await controller.KillAsync(CancellationToken.None);

        await victim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(controller.IsReady);
        Assert.False(await controller.WaitReadyAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        await File.WriteAllTextAsync(options.ReadyFilePath, "ready\n999999\n");
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task WaitReadyAsync_NoReadyFile_FalseAfterTimeout()
    {
        using var dir = new TempDirectory();
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        using var controller = new RuntimeController(options, new FakeRuntime(), TimeProvider.System, NullLogger<RuntimeController>.Instance);
        Assert.False(await controller.WaitReadyAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
    }

    [Fact]
    public async Task WaitReadyAsync_ReadyFileWithoutPidAfterKill_ReadyOnceHealthy()
    {
        // The upstream runtime writes only "ready": after a kill its successor's file looks the same, so health decides.
        using var dir = new TempDirectory();
        var options = new SidecarOptions { Actor = "a", SocketDirectory = dir.Path };
        await File.WriteAllTextAsync(options.ReadyFilePath, "ready");
        var runtime = new FakeRuntime();
        using var controller = new RuntimeController(options, runtime, TimeProvider.System, NullLogger<RuntimeController>.Instance);
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        await controller.KillAsync(CancellationToken.None);
        Assert.False(controller.IsReady);
        runtime.Ready = false;
        Assert.False(await controller.WaitReadyAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));

        runtime.Ready = true;
        Assert.True(await controller.WaitReadyAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
    }
}
