using System.Net;
using System.Net.Sockets;
using Asya.Components.Resiliency;
using Asya.Runtime.Protocol;
using Asya.Sidecar.Engine;
using Asya.Sidecar.Hosting;
using Asya.Sidecar.Runtime;
using Asya.Sidecar.Tests.Fakes;
using Asya.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Asya.Sidecar.Tests.Unit;

/// <summary>The whole host in-process on a test transport and a fake runtime: endpoints, ack, graceful shutdown.</summary>
public sealed class SidecarHostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<int> RunAsync(TestTransport transport, FakeRuntime runtime, CancellationToken cancellationToken, params string[] extra) =>
        RunAsync(transport, runtime, null, cancellationToken, extra);

    private static Task<int> RunAsync(TestTransport transport, FakeRuntime runtime, TimeProvider? time, CancellationToken cancellationToken, params string[] extra)
    {
        string[] args = ["--actor", "a", "--namespace", "t", "--log-level", "warn", "--drain-timeout", "10s", .. extra];
        return Task.Run(() => SidecarProgram.RunAsync(
            args,
            new Dictionary<string, string>(),
            (_, _, _) => Task.FromResult(new SidecarComponents(transport, "test", null, ResiliencySettings.None)),
            services =>
            {
                services.AddSingleton<IRuntimeClient>(runtime);
                services.AddSingleton<IRuntimeController>(runtime);
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
            },
            cancellationToken));
    }

    [Fact]
    public async Task RunAsync_WithMetricsAddress_ServesHealthReadyAndMetrics()
    {
        var transport = new TestTransport();
        var runtime = new FakeRuntime();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var run = RunAsync(transport, runtime, stop.Token, "--metrics-addr", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Hosted services start in order, so the endpoints listen before the loop's first receive; from then on it is ready.
        await transport.Receives.WaitAsync(1, Deadline);
        Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
        transport.Enqueue("asya-t-a", Envelopes.Create("e1", ["a"]).ToUtf8Bytes());
        await transport.Acks.WaitAsync(1, Deadline);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("asya_actor_messages_received_total{queue=\"a\",transport=\"test\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("asya_actor_messages_sent_total{destination_queue=\"asya-t-x-sink\",message_type=\"sink\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("asya_actor_processing_duration_seconds_count{queue=\"a\"} 1", metrics, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Deadline));
    }

    [Fact]
    public async Task RunAsync_StoppedWhileHandlerRuns_InFlightFinishesAndIsAcked()
    {
        var transport = new TestTransport();
        var runtime = new FakeRuntime();
        var started = new WaitSignal();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.Handler = async (envelope, onFrame, ct) =>
        {
            started.Pulse();
            await release.Task.WaitAsync(Deadline, ct);
            return await FakeRuntime.EchoAsync(envelope, onFrame, ct);
        };
        using var stop = new CancellationTokenSource();
        var run = RunAsync(transport, runtime, stop.Token, "--metrics-addr", "off");
        transport.Enqueue("asya-t-a", Envelopes.Create("e1", ["a"]).ToUtf8Bytes());
        await started.WaitAsync(Deadline);

        await stop.CancelAsync();
        transport.Enqueue("asya-t-a", Envelopes.Create("e2", ["a"]).ToUtf8Bytes());
        release.SetResult();

        Assert.Equal(0, await run.WaitAsync(Deadline));
        Assert.Contains("m1", transport.Acked);

        // e2 may have been received just before the loop stopped: then it is either finished and acked, or handed back
        // (nacked) without being started. Nothing is both, and nothing started is left unacked.
        Assert.Equal(runtime.Invocations.Count, transport.Acked.Count);
        Assert.Equal(transport.Acked.Count, transport.SentTo("asya-t-x-sink").Count);
        Assert.Empty(transport.Acked.Intersect(transport.Nacked));
        Assert.DoesNotContain("m1", transport.Nacked);
    }

    [Fact]
    public async Task RunAsync_ReceiveFailing_BacksOffAndRecovers()
    {
        var transport = new TestTransport { FailReceives = 3 };
        var runtime = new FakeRuntime();
        var time = new TimerWatchingTimeProvider(DateTimeOffset.UtcNow);
        using var stop = new CancellationTokenSource();
        var run = RunAsync(transport, runtime, time, stop.Token, "--metrics-addr", "off");
        transport.Enqueue("asya-t-a", Envelopes.Create("e1", ["a"]).ToUtf8Bytes());

        // Each failed receive waits 1, 2, 4 s of fake time, and the loop receives again only once that time has passed.
        var from = 0;
        foreach (var (failures, seconds) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            var backoff = TimeSpan.FromSeconds(seconds);
            await time.WaitForTimerAsync(from, due => due == backoff, Deadline);
            Assert.Equal(failures, transport.ReceiveCalls);
            Assert.Empty(transport.Acked);
            from = time.TimersCreated;
            time.Advance(backoff);
        }

        await transport.Acks.WaitAsync(1, Deadline);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Deadline));
    }

    [Fact]
    public async Task RunAsync_ReceiveNeverReturns_ReadyzTurnsUnreadyNamingTheReceiveLoop()
    {
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new TestTransport { HangReceives = hung };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var run = RunAsync(transport, new FakeRuntime(), time, stop.Token, "--metrics-addr", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Hosted services start in order, so the endpoints listen before the loop's first (here: hung) receive.
        await hung.Task.WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/readyz"));

        time.Advance(ReceiveLoop.ReceiveDeadline);
        Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/readyz"));
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("not ready: receive-loop last beat 61.0s ago (deadline 60s)", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, await TryGetAsync(http, "/healthz"));
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Deadline));
    }

    [Fact]
    public async Task RunAsync_UnknownTransportComponent_ExitCode2()
    {
        using var dir = new TempDirectory();
        var code = await SidecarProgram.RunAsync(
            ["--actor", "a", "--transport", "nope", "--metrics-addr", "off", "--socket-dir", dir.Path, "--data-dir", dir.Path],
            CancellationToken.None);
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task RunAsync_TransportManifestScopedToOtherActors_ExitCode2InsteadOfTheEmbeddedDefault()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.Combine("pubsub.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: bus
            spec:
              type: pubsub.in-memory
              version: v1
            scopes: [checkout]
            """);

        // Before the rule the sidecar started on the embedded SQLite and ran until stopped (exit 0).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await SidecarProgram.RunAsync(
            ["--actor", "a", "--resources-path", dir.Path, "--metrics-addr", "off", "--socket-dir", dir.Path, "--data-dir", dir.Path],
            stop.Token);

        Assert.Equal(2, code);
        Assert.False(stop.IsCancellationRequested);
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
