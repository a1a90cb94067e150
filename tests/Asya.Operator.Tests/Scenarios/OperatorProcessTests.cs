using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Asya.Operator.Tests.Scenarios;

public sealed class OperatorProcessTests
{
    [Fact]
    public async Task AsyaOperatorProcess_KubeconfigToFakeServer_ReconcilesAndStopsCleanlyOnSigterm()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        var kubeconfig = h.Server.WriteKubeconfig(h.TempPath("kubeconfig"));
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "asya-operator.dll"), "--kubeconfig", kubeconfig, "--sidecar-image", "registry/asya-sidecar:9", "--metrics-addr", $"127.0.0.1:{port}" })
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
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Equal("ready", await http.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
            Assert.Contains("asya_operator_reconciles", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
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
}
