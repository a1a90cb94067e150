using Asya.Testing;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>Startup errors about components: exit code 2, no host started.</summary>
public sealed class ComponentSelectionTests
{
    private static string PubSub(string name) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {name}
        spec:
          type: pubsub.in-memory
          version: v1
        """;

    [Fact]
    public async Task RunAsync_TwoPubSubComponentsNoTransportFlag_ExitCode2()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("a.yaml"), PubSub("first"));
        await File.WriteAllTextAsync(dir.Combine("b.yaml"), PubSub("second"));

        var code = await SidecarProgram.RunAsync(
            ["--actor", "a", "--resources-path", dir.Path, "--metrics-addr", "off", "--socket-dir", dir.Path], CancellationToken.None);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task RunAsync_MissingResourcesPath_ExitCode2()
    {
        using var dir = new TempDirectory();
        var code = await SidecarProgram.RunAsync(
            ["--actor", "a", "--resources-path", dir.Combine("nope"), "--metrics-addr", "off"], CancellationToken.None);

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task RunAsync_OnlyInMemoryPubSub_RunsUntilCancelled()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("a.yaml"), PubSub("only"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        // Crew mode needs a result store: the embedded SQLite one in the data dir.
        var code = await SidecarProgram.RunAsync(
            ["--actor", "x-sump", "--builtin", "x-sump", "--resources-path", dir.Path, "--data-dir", dir.Combine("data"), "--metrics-addr", "off"],
            stop.Token);

        Assert.Equal(0, code);
        Assert.True(File.Exists(dir.Combine("data", "asya.db")));
    }
}
