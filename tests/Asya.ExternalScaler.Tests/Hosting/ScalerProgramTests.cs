using Asya.ExternalScaler.Hosting;
using Asya.Hosting;
using Asya.Testing;
using Asya.Testing.Processes;

namespace Asya.ExternalScaler.Tests.Hosting;

public sealed class ScalerProgramTests
{
    [Theory]
    [InlineData("grpc-addr", "--grpc-addr (or ASYA_SCALER_GRPC_ADDR)")]
    [InlineData("metrics-addr", "--metrics-addr (or ASYA_SCALER_METRICS_ADDR)")]
    public async Task Run_PortTaken_OneLineNamingTheFlagAndAddressExit2(string taken, string where)
    {
        using var data = new TempDirectory();

        var (code, errors, address) = await PortTakenRun.RunAsync(
            taken, ["grpc-addr", "metrics-addr"], ["--data-dir", data.Path, "--log-level", "error"],
            (args, errors) => ScalerProgram.RunAsync(args, new Dictionary<string, string>(), errors));

        Assert.Equal(ConfigurationException.ExitCode, code);
        Assert.Equal($"asya-external-scaler: {where}: {address}: address already in use; give a free host:port{Environment.NewLine}", errors);
    }
}
