using System.Diagnostics;

namespace Asya.Operator.Tests.Scenarios;

public sealed class OperatorProcessTests
{
    [Fact]
    public async Task AsyaOperatorProcess_KubeconfigToFakeServer_ReconcilesAndStopsCleanlyOnSigterm()
    {
        await using var h = await OperatorHarness.StartAsync(startOperator: false);
        var kubeconfig = h.Server.WriteKubeconfig(h.TempPath("kubeconfig"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "asya-operator.dll"), "--kubeconfig", kubeconfig, "--sidecar-image", "registry/asya-sidecar:9" })
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
