using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Asya.Operator.Tests.Scenarios;

public sealed class OperatorProcessTests
{
    [Fact]
    public async Task AsyaOperatorProcess_KubeconfigToFakeServer_ReconcilesCountsItOnMetricsAndStopsCleanlyOnSigterm()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        var kubeconfig = h.Server.WriteKubeconfig(h.TempPath("kubeconfig"));
        var metrics = $"127.0.0.1:{FreeLoopbackPort()}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "exec", Path.Combine(AppContext.BaseDirectory, "asya-operator.dll"), "--kubeconfig", kubeconfig, "--sidecar-image", "registry/asya-sidecar:9",
            "--metrics-addr", metrics,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            h.Store.Create(OperatorHarness.Actor("judge"));
            await h.WaitAsync(x => x.Phase("judge") == "Creating", "the operator process to reconcile judge");
            var sidecar = h.Get("Deployment", "judge")!["spec"]!["template"]!["spec"]!["containers"]![1]!;
            Assert.Equal("registry/asya-sidecar:9", sidecar["image"]!.GetValue<string>());

            // The counter is added once the reconcile returns, a moment after its writes: poll until it is there.
            var scrape = await ScrapeUntilAsync($"http://{metrics}/metrics", "asya_operator_reconciles_total{result=\"done\"}");
            Assert.Contains("# TYPE asya_operator_reconciles_total counter", scrape, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{metrics}") };
            Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        }
        finally
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(OperatorHarness.Deadline);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ScrapeUntilAsync(string url, string expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + OperatorHarness.Deadline;
        var last = "(no answer)";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await http.GetStringAsync(new Uri(url));
                if (last.Contains(expected, StringComparison.Ordinal))
                {
                    return last;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{url} did not show {expected} within {OperatorHarness.Deadline}; last answer: {last}");
    }
}
