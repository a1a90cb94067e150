using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Asya.Bench.Brokers;
using Asya.Components.Abstractions;

namespace Asya.Bench;

/// <summary>
/// What one sidecar process costs on a broker: exec → <c>/readyz</c> 200 (wall, and the CPU time it took), resident memory once ready and idle,
/// after <see cref="BenchOptions.FootprintMessages"/> envelopes of 1 KiB, then as many of 1 MiB (where the broker takes
/// them: not SQS), and the peak.
/// </summary>
internal static class FootprintScenario
{
    public const int SmallBytes = 1024;
    public const int LargeBytes = 1024 * 1024;

    // How long the sidecar sits idle before its RSS is read: its start-up work (tier-up, first GCs) is behind it.
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    // Envelopes in flight at once: enough to keep the sidecar busy, few enough that a broker never holds 10k × 1 MiB.
    private const int Window = 32;

    public static async Task<FootprintResult> RunAsync(BenchOptions options, IBrokerBench broker)
    {
        await using var mesh = await NoopActorMesh.CreateAsync(broker);
        var port = FreePort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var process = NoopActorMesh.StartSidecarProcess(options, mesh.SidecarFlags(options, $"127.0.0.1:{port}"));
        try
        {
            await WaitReadyAsync(http, process, $"http://127.0.0.1:{port}/readyz", TimeSpan.FromMinutes(1));
            var ready = clock.Elapsed;
            process.Refresh();
            // CPU time to ready: unlike the wall time, it does not grow with the other work on a shared machine.
            var readyCpu = process.TotalProcessorTime;
            await Task.Delay(IdleSettle);
            var idle = Memory(process.Id);
            await PumpAsync(mesh, process, options.FootprintMessages, SmallBytes);
            var small = Memory(process.Id);
            long? largeRss = null;
            if (broker.MaxBodyBytes > LargeBytes)
            {
                await PumpAsync(mesh, process, options.FootprintMessages, LargeBytes);
                largeRss = Memory(process.Id).RssKb;
            }

            return new FootprintResult(broker.Name, ready.TotalMilliseconds, readyCpu.TotalMilliseconds, idle.RssKb, small.RssKb, largeRss, Memory(process.Id).PeakKb);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    /// <summary>Polls <c>/readyz</c> with no pause between answers: the first 200 is the moment measured.</summary>
    private static async Task WaitReadyAsync(HttpClient http, Process process, string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the sidecar exited with {process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the sidecar was not ready within {timeout}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }
    }

    /// <summary>Sends <paramref name="count"/> envelopes through the sidecar, at most <see cref="Window"/> unanswered.</summary>
    private static async Task PumpAsync(NoopActorMesh mesh, Process process, int count, int textBytes)
    {
        var body = BenchEnvelopes.Create("noop", 0, textBytes: textBytes);
        var receive = new ReceiveOptions(Window, TimeSpan.FromSeconds(1));
        var sent = 0;
        var received = 0;
        var lastArrival = DateTime.UtcNow;
        while (received < count)
        {
            while (sent < count && sent - received < Window)
            {
                // One body for all: the sidecar neither needs nor checks unique ids on the way to x-sink.
                await mesh.Transport.SendAsync(mesh.InputQueue, new OutgoingMessage(body), CancellationToken.None);
                sent++;
            }

            var batch = await mesh.Transport.ReceiveAsync(mesh.SinkQueue, receive, CancellationToken.None);
            foreach (var message in batch)
            {
                await mesh.Transport.AckAsync(message, CancellationToken.None);
            }

            received += batch.Count;
            if (batch.Count > 0)
            {
                lastArrival = DateTime.UtcNow;
            }
            else if (process.HasExited || DateTime.UtcNow - lastArrival > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"only {received} of {count} envelopes of {textBytes} bytes reached x-sink (sidecar {(process.HasExited ? "exited" : "running")})");
            }
        }
    }

    /// <summary>VmRSS and VmHWM of <paramref name="pid"/> in KiB, from /proc.</summary>
    private static (long RssKb, long PeakKb) Memory(int pid)
    {
        long rss = 0;
        long peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
