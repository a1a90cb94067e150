using System.Net;
using System.Net.Sockets;
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
        var port = FreePort();
        using var stop = new CancellationTokenSource();

        // Crew mode needs a result store: the embedded SQLite one in the data dir.
        var run = Task.Run(() => SidecarProgram.RunAsync(
            ["--actor", "x-sump", "--builtin", "x-sump", "--resources-path", dir.Path, "--data-dir", dir.Combine("data"),
             "--metrics-addr", $"127.0.0.1:{port}", "--log-level", "warn"],
            stop.Token));

        // Ready means it receives from the in-memory queue; a sidecar that returned (whatever its code) never gets there.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await IsReadyAsync(http, deadline.Token))
        {
            // Wake on whichever comes first: the sidecar ending, or the next probe.
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
            Assert.False(run.IsCompleted, "the sidecar returned before it was ready, without being cancelled");
            deadline.Token.ThrowIfCancellationRequested();
        }

        Assert.False(run.IsCompleted, "the sidecar stopped on its own, before it was cancelled");
        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(File.Exists(dir.Combine("data", "asya.db")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }
}
